import type { ServerBuild } from "@remix-run/node";

export interface BootResult {
  port: number;
  host: string;
  baseUrl: URL;
  trustProxy: boolean;
  setupLink: string | null;
  /** WEB_CONCURRENCY: HTTP worker processes, null for one per CPU. */
  workers: number | null;
}

export interface BootOptions {
  /** The primary (or only) process migrates and issues the setup link; cluster workers only check the environment. */
  primary: boolean;
}

export interface Lifecycle {
  boot(options?: BootOptions): Promise<BootResult>;
  shutdown(): Promise<void>;
}

/**
 * The Remix build owns the singletons (database, mail); entry.server.tsx
 * exports boot/shutdown so this process drives them without opening a
 * second connection of its own.
 */
export function bootFrom(build: ServerBuild): Lifecycle {
  const entry = build.entry.module as unknown as Partial<Lifecycle>;
  if (typeof entry.boot !== "function" || typeof entry.shutdown !== "function") {
    throw new Error("The server build does not export boot() and shutdown() from entry.server.tsx");
  }
  return { boot: entry.boot, shutdown: entry.shutdown };
}
