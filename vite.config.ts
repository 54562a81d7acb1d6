import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * The server build takes React through require(), not import. When an ES
 * module imports a CommonJS package, Node 20 first scans its source for the
 * names it exports, following re-exports; React's entry files re-export their
 * production or their development build depending on NODE_ENV, so Node read
 * and scanned both, react-dom's 1 MB development build included: about a
 * third of the time from start to the first answer, and 2 MB of source kept
 * for nothing. require() runs the
 * entry file and reads the one build it picks. Each is the same module
 * require("react") gives @remix-run/react. Packages that import React
 * themselves are bundled (ssr.noExternal) so that their imports come here too.
 */
const REQUIRED_IN_SERVER_BUILD = new Set(["react", "react/jsx-runtime", "react-dom", "react-dom/server"]);

function requireReactOnServer(): Plugin {
  const prefix = "\0cercle-require:";
  return {
    name: "cercle-require-react-on-server",
    apply: "build",
    enforce: "pre",
    resolveId(source, _importer, options) {
      if (options?.ssr && REQUIRED_IN_SERVER_BUILD.has(source)) return `${prefix}${source}`;
      return null;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const name = JSON.stringify(id.slice(prefix.length));
      // Named imports are read off module.exports, as Node's own interop does.
      return {
        code: `import { createRequire } from "node:module";\nexport default createRequire(import.meta.url)(${name});\n`,
        syntheticNamedExports: "default",
      };
    },
  };
}

export default defineConfig({
  server: { port: 3000 },
  build: { target: "es2022" },
  ssr: {
    // Lexical's packages point Node's "default" condition at a file that
    // imports both their development and production builds and picks one at
    // run time, so the server held both (~13 MB at rest). Bundled, they are
    // resolved with the build's own conditions: production only. All of them
    // or none: two copies of lexical would not recognise each other's nodes.
    // Kysely (262 files) and zod (97) are bundled too: each file is a module
    // Node resolves, reads, compiles and keeps at start; bundled, -5 MB at
    // rest for Kysely alone. @conform-to/zod with zod, so the schemas it
    // wraps and its own come from the one copy. Radix, Floating UI and
    // @conform-to/react import React: bundled, so they take it through
    // require() (requireReactOnServer).
    noExternal: [
      /^lexical$/,
      /^@lexical\//,
      /^kysely$/,
      /^zod(\/|$)/,
      /^@conform-to\/(zod|react)(\/|$)/,
      /^@radix-ui\//,
      /^@floating-ui\//,
    ],
  },
  plugins: [
    requireReactOnServer(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: false,
        v3_routeConfig: true,
      },
    }),
  ],
});
