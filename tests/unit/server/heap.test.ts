import type { IncomingMessage } from "node:http";
import { expect, test } from "vitest";
import { releaseAtFirstVisit } from "#server/heap.ts";

const visit = (url: string) => ({ url, method: "GET" }) as IncomingMessage;

test("the young generation is released once, at the first request that is not a health probe", () => {
  let released = 0;
  const onRequest = releaseAtFirstVisit(() => released++);
  onRequest(visit("/healthz"));
  onRequest(visit("/healthz?deep=1"));
  expect(released).toBe(0);
  onRequest(visit("/healthzz"));
  expect(released).toBe(1);
  onRequest(visit("/"));
  onRequest(visit("/login"));
  expect(released).toBe(1);
});
