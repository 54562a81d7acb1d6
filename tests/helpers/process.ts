import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { repoRoot } from "./server.ts";

/**
 * The real process, as `npm start` and `npm run serve` run it: build/server.js
 * in a child process. For what only a process shows — signals, worker
 * processes, a crash and a restart, the production log — where startServer()
 * (the build inside the test's own process) cannot.
 */

export const serverJs = path.join(repoRoot, "build", "server.js");

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port free at the time of asking, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts build/server.js with PATH and exactly these variables (nothing else
 * of the test's environment: Vitest sets some of the app's own). It does not
 * wait: see waitFor.
 */
export function spawnServer(env: Record<string, string>, onOutput?: (chunk: string) => void): ServerProcess {
  if (!existsSync(serverJs)) throw new Error("build/server.js is missing: run npm run build first");
  let out = "";
  const child = spawn(process.execPath, [serverJs], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", ...env } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (c: Buffer) => {
      out += c.toString();
      onOutput?.(c.toString());
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

// Starting takes well under a second on a quiet machine, and over 20 s on a
// shared one running many test suites at once: the waits are generous.
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 20_000, output?: () => string) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${output ? `; output so far:\n${output()}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ScriptProcess {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

/**
 * A TypeScript helper script (tests/helpers/*-child.ts) in its own node
 * process, through tsx, stdin open for a "go": for races between processes
 * on one database file. The caller kills it in its cleanup.
 */
export function spawnScript(script: string, args: string[], env?: Record<string, string>): ScriptProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "tests", "helpers", script), ...args], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
    // `env`: variables added to the test's own (the app's configuration, for a script that reads it).
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}
