import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";

// What the built server loads at start and keeps (README, Memory at rest):
// each of these once cost megabytes of every process, or most of its start.
const root = path.resolve(import.meta.dirname, "../..");
const serverBuild = path.join(root, "build", "server", "index.js");

function serverScripts(): string[] {
  const dir = path.join(root, "build", "server");
  const nested = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
  return [path.join(root, "build", "server.js"), ...nested.map((f) => path.join(dir, f))];
}

describe("the server build", () => {
  test("loads no CommonJS file it does not run (Node 20 scanned React's development builds for their names and kept them)", () => {
    if (!existsSync(serverBuild)) throw new Error("build/server/index.js is missing: run npm run build first");
    // A process of its own, as the server is: production, the build imported, then the records Node keeps.
    const script = `
      import { createRequire } from "node:module";
      await import(${JSON.stringify(serverBuild)});
      const cache = createRequire(import.meta.url).cache;
      const files = Object.keys(cache);
      console.log(JSON.stringify({
        neverRun: files.filter((f) => !cache[f].loaded),
        development: files.filter((f) => /\\.development\\.js$/.test(f)),
        react: files.some((f) => f.endsWith("/react/index.js")),
      }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" },
      encoding: "utf8",
    });
    const loaded = JSON.parse(out.trim().split("\n").at(-1)!) as { neverRun: string[]; development: string[]; react: boolean };
    expect(loaded.react).toBe(true);
    expect(loaded.neverRun).toEqual([]);
    expect(loaded.development).toEqual([]);
  });

  test("holds Lexical in its production build, bundled, not both of its builds from node_modules", () => {
    // The content worker's thread loads Lexical itself, under the condition naming one build (app/editor/content-pool.server.ts).
    // The text extraction's thread loads pdf.js on its own, never the server's thread (app/files/text-extract-pool.server.ts).
    const mainThread = serverScripts().filter((file) => !["content-worker.js", "text-extract-worker.js"].includes(path.basename(file)));
    const chunks = mainThread.map((file) => readFileSync(file, "utf8"));
    expect(chunks.some((code) => /from\s*"(lexical|@lexical\/[^"]+)"/.test(code))).toBe(false);
    // Lexical's production build shortens its errors to this; its development build formats them.
    expect(chunks.some((code) => code.includes("Minified Lexical error"))).toBe(true);
    expect(chunks.some((code) => code.includes("formatDevErrorMessage"))).toBe(false);
  });

  test("is written in ASCII, so V8 keeps its sources at one byte per character", () => {
    for (const file of serverScripts()) {
      const code = readFileSync(file, "utf8");
      const first = code.search(/[^\x00-\x7f]/);
      expect(first, `${path.relative(root, file)}: ${code.slice(Math.max(0, first - 40), first + 10)}`).toBe(-1);
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe("an idle server process", { timeout: 120_000 }, () => {
  test("keeps V8's young generation as small as start-up left it, not grown by loading the app nor by health probes (server/heap.ts)", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-weight-"));
    const reports = mkdtempSync(path.join(os.tmpdir(), "cercle-weight-report-"));
    const port = await freePort();
    // build/server.js as the README runs it; the diagnostic report on a signal only reads the heap's figures.
    const child = spawn(process.execPath, ["--report-on-signal", "--report-signal=SIGUSR2", `--report-directory=${reports}`, path.join(root, "build", "server.js")], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", WEB_CONCURRENCY: "1" } as Record<string, string> as NodeJS.ProcessEnv,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const until = Date.now() + 90_000;
      for (;;) {
        const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
        if (healthy) break;
        if (Date.now() > until) throw new Error("the server did not answer /healthz");
        await new Promise((r) => setTimeout(r, 100));
      }
      // Probes as a load balancer sends them leave it held; a scavenge V8 runs just after boot must not grow it either.
      for (let i = 0; i < 20; i++) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_000));
      child.kill("SIGUSR2");
      let report: string | undefined;
      while (!report && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        report = readdirSync(reports).find((f) => f.endsWith(".json"));
      }
      if (!report) throw new Error("no diagnostic report was written");
      const heap = JSON.parse(readFileSync(path.join(reports, report), "utf8")) as {
        javascriptHeap: { heapSpaces: { new_space: { memorySize: number } } };
      };
      // Both semi-spaces: 8 MB when held (what server.js's own imports grow it to), 16 or 32 MB when not.
      expect(heap.javascriptHeap.heapSpaces.new_space.memorySize).toBeLessThanOrEqual(8 * 1024 * 1024);
    } finally {
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(reports, { recursive: true, force: true });
    }
  });
});
