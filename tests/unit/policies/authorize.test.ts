import { describe, expect, test } from "vitest";
import { authorize } from "#app/policies/authorize.ts";

// What a policy's answer becomes over HTTP, written out by hand:
// [allowed, options, status thrown (null: nothing thrown), body]
const TABLE: Array<[boolean, { hide?: boolean } | undefined, number | null, string | null]> = [
  [true, undefined, null, null],
  [true, { hide: true }, null, null],
  [false, undefined, 403, "Forbidden"],
  [false, { hide: false }, 403, "Forbidden"],
  // A thing whose very existence is private (a secret space): 404, as if it were not there.
  [false, { hide: true }, 404, "Not Found"],
];

describe("authorize", () => {
  test.each(TABLE)("allowed %s, options %o: status %s", async (allowed, options, status, body) => {
    let thrown: unknown = null;
    try {
      authorize(allowed, options);
    } catch (error) {
      thrown = error;
    }
    if (status === null) {
      expect(thrown).toBeNull();
      return;
    }
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(body);
  });
});
