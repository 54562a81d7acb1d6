import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

/**
 * patches/ holds patch-package diffs to Remix, React Router and React's
 * streaming renderer. They
 * live in one file of one build of each package (the CommonJS one), so they
 * work only while that file is the one the server loads: a package that
 * gains an "exports" map sending `import` to its ES-module build, a second
 * unpatched copy installed nested under a dependant, or a build that bundles
 * the package would each drop a patch without a word. This walks the way the
 * built server reaches each patched file — the build imports a package, whose
 * file requires the next — resolving every step with Node's own resolvers
 * (import.meta.resolve as an ES module importer would, createRequire().resolve
 * as a CommonJS one would) from the importing file's place, and checks that
 * the file found at the end carries every line the patch adds.
 */

const root = path.resolve(import.meta.dirname, "../..");
const buildDir = path.join(root, "build", "server");
const buildEntry = path.join(buildDir, "index.js");

/**
 * How the server gets to each patched file, one step a specifier, from the
 * built server (which imports the first) onwards. Each step is checked to be
 * in the file before it, so this list cannot drift from the packages.
 */
const WAYS: Record<string, string[][]> = {
  "@remix-run/react/dist/server.js": [["@remix-run/react", "./server.js"]],
  "@remix-run/server-runtime/dist/data.js": [["@remix-run/node", "@remix-run/server-runtime", "./server.js", "./routes.js", "./data.js"]],
  "react-router-dom/server.js": [["@remix-run/react", "./server.js", "react-router-dom/server"]],
  // React 18's streaming renderer sent its whole 2,048-byte view when a character straddled its
  // end, the unwritten last byte as a NUL inside the page ("ét\u0000é"): it sends what it wrote.
  "react-dom/cjs/react-dom-server.node.production.min.js": [["react-dom/server", "./cjs/react-dom-server.node.production.min.js"]],
  "react-dom/cjs/react-dom-server.node.development.js": [["react-dom/server", "./cjs/react-dom-server.node.development.js"]],
  "@remix-run/router/dist/router.cjs.js": [
    ["@remix-run/node", "@remix-run/server-runtime", "./server.js", "@remix-run/router"],
    ["@remix-run/react", "./server.js", "react-router-dom/server", "@remix-run/router"],
  ],
};

/** Every file a patch in patches/ changes (path under node_modules) with the runs of lines it adds. */
function patchedFiles(): Map<string, { patch: string; added: string[] }> {
  const out = new Map<string, { patch: string; added: string[] }>();
  for (const patch of readdirSync(path.join(root, "patches")).filter((f) => f.endsWith(".patch"))) {
    let current: string[] | null = null;
    let run: string[] = [];
    const flush = () => {
      if (current && run.length > 0) current.push(run.join("\n"));
      run = [];
    };
    for (const line of readFileSync(path.join(root, "patches", patch), "utf8").split("\n")) {
      const target = /^\+\+\+ b\/node_modules\/(.+)$/.exec(line);
      if (target) {
        flush();
        current = [];
        out.set(target[1], { patch, added: current });
      } else if (line.startsWith("+") && current) {
        run.push(line.slice(1));
      } else {
        flush();
      }
    }
    flush();
  }
  return out;
}

/**
 * Resolves each way in a plain Node process (not through Vitest's resolver,
 * which the server never uses): every step from the file the step before
 * found, once with import.meta.resolve and once with require.resolve.
 */
function resolveWays(ways: string[][]): Array<Record<"esm" | "cjs", Array<string | { error: string }>>> {
  const script = `
    import { createRequire } from "node:module";
    import { fileURLToPath } from "node:url";
    const [entry, ways] = [process.argv[1], JSON.parse(process.argv[2])];
    const walk = (resolve) => (way) => {
      const found = [];
      let from = entry;
      for (const spec of way) {
        try { from = resolve(spec, from); found.push(from); } catch (e) { found.push({ error: e.code ?? String(e) }); break; }
      }
      return found;
    };
    const esm = (spec, from) => fileURLToPath(import.meta.resolve(spec, new URL("file://" + from).href));
    const cjs = (spec, from) => createRequire(from).resolve(spec);
    process.stdout.write(JSON.stringify(ways.map((w) => ({ esm: walk(esm)(w), cjs: walk(cjs)(w) }))));
  `;
  const out = execFileSync(
    process.execPath,
    ["--experimental-import-meta-resolve", "--no-warnings", "--input-type=module", "-e", script, buildEntry, JSON.stringify(ways)],
    { cwd: root, encoding: "utf8" },
  );
  return JSON.parse(out);
}

/** The built server's own files: the entry and the chunks it imports. */
function buildText(): string {
  const files = [buildEntry, ...readdirSync(path.join(buildDir, "assets")).filter((f) => f.endsWith(".js")).map((f) => path.join(buildDir, "assets", f))];
  return files.map((f) => readFileSync(f, "utf8")).join("\n");
}

const mentions = (text: string, spec: string) => text.includes(`"${spec}"`) || text.includes(`'${spec}'`);

if (!existsSync(buildEntry)) throw new Error("build/server/index.js is missing: run npm run build first");
const patched = patchedFiles();

test("every file the patches change has its ways in listed here, and nothing else is listed", () => {
  expect([...patched.keys()].sort()).toEqual(Object.keys(WAYS).sort());
});

const resolved = resolveWays(Object.values(WAYS).flat());
const cases = Object.entries(WAYS).flatMap(([file, ways]) => ways.map((way) => ({ file, way, found: resolved.shift()! })));

test.each(cases.map((c) => [c.file, c.way.join(" → "), c] as const))("%s, reached by %s: every step is an import in the file before it", (_f, _w, { way, found }) => {
  expect(mentions(buildText(), way[0]), `the built server no longer imports ${way[0]} by name (bundled, or gone)`).toBe(true);
  way.slice(1).forEach((spec, i) => {
    const importer = found.cjs[i];
    expect(typeof importer, `${way[i]} did not resolve: ${JSON.stringify(importer)}`).toBe("string");
    expect(mentions(readFileSync(importer as string, "utf8"), spec), `${importer as string} no longer imports ${spec}`).toBe(true);
  });
});

for (const mode of ["cjs", "esm"] as const) {
  const how = mode === "cjs" ? "required (CommonJS resolution)" : "imported (ES-module resolution)";
  test.each(cases.map((c) => [c.file, c.way.join(" → "), c] as const))(`%s, reached by %s, ${how}: the file found carries the patch`, (_f, _w, { file, found }) => {
    const last = found[mode].at(-1)!;
    expect(typeof last, `resolution stopped: ${JSON.stringify(found[mode])}`).toBe("string");
    const loaded = last as string;
    const { patch, added } = patched.get(file)!;
    const missing = existsSync(loaded) ? added.filter((lines) => !readFileSync(loaded, "utf8").includes(lines)) : [];
    // An ES-module import of react-router-dom/server names a file that does not exist (the
    // package has no "exports"): Node would refuse to start, loudly. A patch is lost silently
    // only when a file is found, so a file found must carry every line the patch adds.
    expect(
      mode === "esm" || existsSync(loaded),
      `${loaded} does not exist`,
    ).toBe(true);
    expect(
      missing,
      `${path.relative(root, loaded)} is what the server loads, and it lacks lines that patches/${patch} adds to node_modules/${file}`,
    ).toEqual([]);
  });
}

test("a two-byte character across the end of React's 2,048-byte view comes out whole, with no NUL beside it", async () => {
  const { renderToPipeableStream } = await import("react-dom/server");
  const { createElement } = await import("react");
  const { Writable } = await import("node:stream");
  // Short strings (a long one is encoded apart) of one- and two-byte characters, many times over:
  // one of them straddles the view's end at each shift of `pad`.
  for (let pad = 0; pad < 3; pad++) {
    const words = Array.from({ length: 600 }, (_, i) => `${"x".repeat(pad)}ét${"é".repeat(i % 4)}`);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const sink = new Writable({
        write(chunk, _encoding, done) {
          chunks.push(Buffer.from(chunk));
          done();
        },
        final(done) {
          resolve();
          done();
        },
      });
      const element = createElement("p", null, ...words.map((w, i) => createElement("span", { key: i }, w)));
      const { pipe } = renderToPipeableStream(element, { onAllReady: () => pipe(sink), onError: reject });
    });
    const html = Buffer.concat(chunks).toString("utf8");
    expect(html.includes("\u0000"), `a NUL in the page (pad ${pad})`).toBe(false);
    for (const w of words) expect(html).toContain(`<span>${w}</span>`);
  }
});
