/**
 * npm run bench:memory — what the server holds at rest, started exactly as
 * the README says (`node build/server.js`, no NODE_ENV, a fresh DATA_DIR):
 * the time from start to the first 200 from /healthz, then, after 5 s idle,
 * the resident memory (VmRSS, Linux /proc) of every process: once with
 * WEB_CONCURRENCY=1 (one process) and once with the default (the primary and
 * its workers). The last line is one JSON object.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./built-server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function statusMb(pid: number, field: "VmRSS" | "RssAnon" | "RssFile"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function run(extra: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-bench-memory-"));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, "build", "server.js")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", ...extra } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let healthyMs = -1;
  while (healthyMs < 0) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) healthyMs = Math.round(performance.now() - started);
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (performance.now() - started > 60_000) throw new Error("not healthy after 60 s");
  }
  await new Promise((r) => setTimeout(r, 5_000));
  const pids = [child.pid!, ...childrenOf(child.pid!)];
  const rss = pids.map((pid) => statusMb(pid, "VmRSS"));
  // The same resident memory split: anonymous (heaps, V8's above all) and file pages (Node's binary, native modules).
  const rssAnonMb = pids.map((pid) => statusMb(pid, "RssAnon"));
  const rssFileMb = pids.map((pid) => statusMb(pid, "RssFile"));
  child.kill("SIGTERM");
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
  return { processes: pids.length, healthyMs, rssMb: rss, totalMb: rss.reduce((a, b) => a + b, 0), rssAnonMb, rssFileMb };
}

const one = await run({ WEB_CONCURRENCY: "1" });
console.log(`WEB_CONCURRENCY=1: healthy after ${one.healthyMs} ms; idle RSS ${one.rssMb.join(" + ")} MB`);
const byDefault = await run({});
console.log(
  `default (${byDefault.processes} processes): healthy after ${byDefault.healthyMs} ms; idle RSS ${byDefault.rssMb.join(" + ")} = ${byDefault.totalMb} MB`,
);
console.log(JSON.stringify({ node: process.version, cores: os.availableParallelism(), one, default: byDefault }));
