import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
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
    // wraps and its own come from the one copy.
    noExternal: [/^lexical$/, /^@lexical\//, /^kysely$/, /^zod(\/|$)/, /^@conform-to\/zod(\/|$)/],
  },
  plugins: [
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
