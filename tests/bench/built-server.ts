/**
 * The built server (build/server.js) in a process of its own, as `npm start`
 * and the README run it (no NODE_ENV: the process defaults to production),
 * for the bench scripts to load over HTTP; and the bench user's
 * sign-in. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const BENCH_EMAIL = "bench@example.org";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface BuiltServer {
  origin: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited 15 s later. */
  stop(): Promise<void>;
}

/** Starts it on a free port of 127.0.0.1 with this data folder and these extra variables; resolves once it listens. */
export async function startBuiltServer(dataDir: string, env: Record<string, string> = {}): Promise<BuiltServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, "build", "server.js")], {
    // No NODE_ENV, as in the README (Remix's globals type it as always set).
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin, ...env } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => c.toString().includes("listening") && resolve());
    child.once("exit", (code) => reject(new Error(`server exited ${code} before listening`)));
  });
  return {
    origin,
    child,
    async stop() {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The bench user's session cookie ("cercle_session=…"), from the sign-in form. */
export async function signIn(origin: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: BENCH_EMAIL, password }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("cercle_session="));
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie.split(";")[0];
}
