import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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
    const mainThread = serverScripts().filter((file) => path.basename(file) !== "content-worker.js");
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
