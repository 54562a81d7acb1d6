import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";

import { freePort } from "#tests/helpers/process.ts";
/**
 * Stopping `npm start` (two worker processes, or one process) while clients
 * keep opening connections, as a site under traffic sees at every deploy. A client may
 * be refused (nothing was listening: it knows nothing was done and may try
 * again), but a connection the server accepted must get a whole answer:
 * none reset, none closed without an answer, none cut short, none left
 * hanging. And the server still exits within its drain deadline.
 */
const root = path.resolve(import.meta.dirname, "../..");
const serverJs = path.join(root, "build", "server.js");

/** server/drain.ts closes what is still open this long after the signal. */
const DRAIN_DEADLINE_MS = 10_000;

interface Cluster {
  child: ChildProcess;
  origin: string;
  output: () => string;
  exited: Promise<number | null>;
}

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});


async function waitFor(check: () => boolean, what: string, output: () => string, ms = 60_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** build/server.js as the README runs it, with two workers by default; `detached` makes it a process group of its own. */
async function startCluster({ detached = false, workers = 2 } = {}): Promise<Cluster> {
  if (!existsSync(serverJs)) throw new Error("build/server.js is missing: run npm run build first");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-shutdown-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let out = "";
  const child = spawn(process.execPath, [serverJs], {
    cwd: root,
    // No NODE_ENV, as in the README (Remix's globals type it as always set).
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin, WEB_CONCURRENCY: String(workers) } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached,
  });
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanup.push(() => {
    for (const pid of workerPids(child)) process.kill(pid, "SIGKILL");
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });
  const output = () => out;
  // Generous: on a loaded machine two workers have taken over 20 s to start.
  await waitFor(() => out.includes("listening"), "the cluster to listen", output);
  return { child, origin, output, exited };
}

/** Process ids of the workers (the primary's children). */
function workerPids(child: ChildProcess): number[] {
  try {
    const out = execFileSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" });
    return out.split("\n").map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** How many replacement workers have started serving so far. */
const replacements = (cluster: Cluster) => cluster.output().match(/is serving in place of/g)?.length ?? 0;

interface Tally {
  /** Whole answers: status 200 and every byte the answer announced. */
  answered: number;
  /** Refused: nothing listened. */
  refused: number;
  /** Accepted, then reset (RST) before an answer. */
  reset: number;
  /** Accepted, then closed (FIN) without an answer. */
  unanswered: number;
  /** An answer begun and not finished. */
  cut: number;
  /** No answer after 15 s (longer than the drain deadline). */
  hung: number;
  /** Anything else, by error code. */
  other: Record<string, number>;
}

/**
 * Clients as a site sees them: one opening a new connection every `everyMs`
 * (open loop: it does not wait for the previous answer, as independent
 * visitors do not), each with one GET, /healthz or, one in four, a page, and
 * `Connection: close`; and two keep-alive clients sending GET /healthz back
 * to back on one connection each (a browser fetching a page's assets), which
 * open a new one when the server ends theirs. About 50 new connections a
 * second (fewer when the machine is loaded): two workers keep up with that
 * on a busy 2-core machine, and one alone while its replacement starts; an
 * overloaded server would make answers wait longer than any client's
 * patience, which is another test.
 */
function connectionStream(origin: string, everyMs = 20) {
  const tally: Tally = { answered: 0, refused: 0, reset: 0, unanswered: 0, cut: 0, hung: 0, other: {} };
  const open = new Set<Promise<void>>();
  let stopped = false;
  const request = (target: string, agent: http.Agent | false) =>
    new Promise<void>((resolve) => {
      let done = false;
      const count = (what: keyof Omit<Tally, "other"> | string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (what in tally && what !== "other") tally[what as keyof Omit<Tally, "other">] += 1;
        else tally.other[what] = (tally.other[what] ?? 0) + 1;
        resolve();
      };
      const req = http.get(`${origin}${target}`, agent ? { agent } : { agent: false, headers: { Connection: "close" } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          const whole = res.complete && res.statusCode === 200 && (target === "/healthz" ? body === "ok" : body.includes("</html>"));
          count(whole ? "answered" : `status ${res.statusCode} ${res.complete ? "complete" : "incomplete"}`);
        });
        res.on("aborted", () => count("cut"));
        res.on("error", () => count("cut"));
      });
      const timer = setTimeout(() => {
        count("hung");
        req.destroy();
      }, 15_000);
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED") count("refused");
        else if (error.message === "socket hang up") count("unanswered");
        else if (error.code === "ECONNRESET" || error.code === "EPIPE") count("reset");
        else count(error.code ?? error.message);
      });
    });

  let n = 0;
  const ticker = setInterval(() => {
    const settled = request(n++ % 4 === 3 ? "/login" : "/healthz", false);
    open.add(settled);
    void settled.then(() => open.delete(settled));
  }, everyMs);
  const keepAlive = Array.from({ length: 2 }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (!stopped) {
      const refusedBefore = tally.refused;
      await request("/healthz", agent);
      // Nobody listens any more: try again a little later, as a browser would.
      if (tally.refused > refusedBefore) await pause(everyMs);
    }
    agent.destroy();
  });
  return {
    tally,
    /** Stops opening connections and waits for every open one to settle. */
    async stop(): Promise<Tally> {
      stopped = true;
      clearInterval(ticker);
      await Promise.all([...open, ...keepAlive]);
      return tally;
    },
  };
}

const zeroFailures = { reset: 0, unanswered: 0, cut: 0, hung: 0, other: {} };
const failures = ({ reset, unanswered, cut, hung, other }: Tally) => ({ reset, unanswered, cut, hung, other });

describe("stopping under a steady stream of new connections", { timeout: 240_000 }, () => {
  /** Starts, streams, signals, and returns what the clients saw and how long the exit took. */
  async function stopUnderStream(options: { detached?: boolean; workers?: number }, signal: (cluster: Cluster) => void) {
    const cluster = await startCluster(options);
    const stream = connectionStream(cluster.origin);
    // Every worker has answered pages and health checks before the signal.
    await pause(1_500);
    const signalled = Date.now();
    signal(cluster);
    expect(await cluster.exited).toBe(0);
    const took = Date.now() - signalled;
    // Connections opened after the exit are refused; a few of them too.
    await pause(200);
    const tally = await stream.stop();
    expect(cluster.output()).not.toContain("still open");
    return { tally, took };
  }

  test("SIGTERM to the primary: every accepted connection gets a whole answer, and it exits within the drain deadline", async () => {
    const runs: Array<{ tally: Tally; took: number }> = [];
    for (let run = 0; run < 3; run++) {
      const outcome = await stopUnderStream({}, (cluster) => cluster.child.kill("SIGTERM"));
      console.log(`SIGTERM to the primary, run ${run + 1}: exit after ${outcome.took} ms`, JSON.stringify(outcome.tally));
      runs.push(outcome);
    }
    for (const { tally, took } of runs) {
      expect(failures(tally)).toEqual(zeroFailures);
      expect(tally.answered).toBeGreaterThan(20);
      expect(tally.refused).toBeGreaterThan(0);
      expect(took).toBeLessThan(DRAIN_DEADLINE_MS);
    }
  });

  test("SIGTERM to a single process (WEB_CONCURRENCY=1): the same", async () => {
    const runs: Array<{ tally: Tally; took: number }> = [];
    for (let run = 0; run < 2; run++) {
      const outcome = await stopUnderStream({ workers: 1 }, (cluster) => cluster.child.kill("SIGTERM"));
      console.log(`SIGTERM to a single process, run ${run + 1}: exit after ${outcome.took} ms`, JSON.stringify(outcome.tally));
      runs.push(outcome);
    }
    for (const { tally, took } of runs) {
      expect(failures(tally)).toEqual(zeroFailures);
      expect(tally.answered).toBeGreaterThan(20);
      expect(took).toBeLessThan(DRAIN_DEADLINE_MS);
    }
  });

  test("SIGTERM to one worker, three times: the others take every connection; none is lost", async () => {
    const cluster = await startCluster();
    const stream = connectionStream(cluster.origin);
    await pause(1_500);
    for (let i = 0; i < 3; i++) {
      const [victim] = workerPids(cluster.child);
      const before = replacements(cluster);
      process.kill(victim, "SIGTERM");
      await waitFor(() => replacements(cluster) === before + 1, "the replacement to serve", cluster.output);
      await waitFor(() => !workerPids(cluster.child).includes(victim), "the stopped worker to exit", cluster.output, DRAIN_DEADLINE_MS);
      await pause(300);
    }
    const tally = await stream.stop();
    console.log("SIGTERM to one worker, three times:", JSON.stringify(tally));
    expect(failures(tally)).toEqual(zeroFailures);
    // Someone was listening all along.
    expect(tally.refused).toBe(0);
    expect(tally.answered).toBeGreaterThan(100);
    expect(cluster.output()).not.toContain("still open");
  });

  test("SIGTERM to the primary and every worker at once (systemd's default, Ctrl-C in a terminal): the same", async () => {
    const runs: Array<{ tally: Tally; took: number }> = [];
    for (let run = 0; run < 2; run++) {
      // The whole process group, as systemd's KillMode=control-group and a terminal's Ctrl-C do.
      const outcome = await stopUnderStream({ detached: true }, (cluster) => process.kill(-cluster.child.pid!, "SIGTERM"));
      console.log(`SIGTERM to every process, run ${run + 1}: exit after ${outcome.took} ms`, JSON.stringify(outcome.tally));
      runs.push(outcome);
    }
    for (const { tally, took } of runs) {
      expect(failures(tally)).toEqual(zeroFailures);
      expect(tally.answered).toBeGreaterThan(20);
      expect(took).toBeLessThan(DRAIN_DEADLINE_MS);
    }
  });
});
