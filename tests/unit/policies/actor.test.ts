import { describe, expect, test } from "vitest";
import { actorOf } from "#app/policies/actor.ts";

describe("actorOf", () => {
  test("an account becomes an actor: its id, and network admin only when the flag is 1", () => {
    expect(actorOf({ id: "u1", is_network_admin: 1 })).toEqual({ id: "u1", isNetworkAdmin: true });
    expect(actorOf({ id: "u2", is_network_admin: 0 })).toEqual({ id: "u2", isNetworkAdmin: false });
  });
});
