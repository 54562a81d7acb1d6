import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
    clientIp: string;
    /** Set when server/body-limit.ts refused a browser's form for its size: the 413 page renders instead. */
    refusedBody?: { limit: number };
  }
}
