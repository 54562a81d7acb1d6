import { dropLeftovers } from "./postgres.ts";

/** Vitest's global setup for the PostgreSQL run: a clean server, whatever an earlier run left. */
export default async function setup() {
  await dropLeftovers();
}
