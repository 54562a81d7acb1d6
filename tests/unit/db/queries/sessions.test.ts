import { describe, expect, test } from "vitest";
import { isExpired } from "#db/queries/sessions.ts";

const HOUR = 60 * 60 * 1000;
const lifetimes = { idleMs: 24 * HOUR, absoluteMs: 72 * HOUR };
const now = Date.UTC(2026, 10, 22, 12, 0);

describe("isExpired", () => {
  test("a fresh session is alive", () => {
    expect(isExpired({ created_at: now, last_seen_at: now }, lifetimes, now)).toBe(false);
  });

  test("idle: alive just before the idle length, over at it", () => {
    expect(isExpired({ created_at: now - HOUR * 30, last_seen_at: now - lifetimes.idleMs + 1 }, lifetimes, now)).toBe(false);
    expect(isExpired({ created_at: now - HOUR * 30, last_seen_at: now - lifetimes.idleMs }, lifetimes, now)).toBe(true);
    expect(isExpired({ created_at: now - HOUR * 30, last_seen_at: now - lifetimes.idleMs - 1 }, lifetimes, now)).toBe(true);
  });

  test("absolute: over at the absolute lifetime even if used a moment ago", () => {
    expect(isExpired({ created_at: now - lifetimes.absoluteMs + 1, last_seen_at: now - 1000 }, lifetimes, now)).toBe(false);
    expect(isExpired({ created_at: now - lifetimes.absoluteMs, last_seen_at: now - 1000 }, lifetimes, now)).toBe(true);
    expect(isExpired({ created_at: now - lifetimes.absoluteMs * 2, last_seen_at: now }, lifetimes, now)).toBe(true);
  });

  test("uses the lifetimes it is given", () => {
    const session = { created_at: now - 2 * HOUR, last_seen_at: now - 2 * HOUR };
    expect(isExpired(session, { idleMs: 3 * HOUR, absoluteMs: 10 * HOUR }, now)).toBe(false);
    expect(isExpired(session, { idleMs: HOUR, absoluteMs: 10 * HOUR }, now)).toBe(true);
    expect(isExpired(session, { idleMs: 3 * HOUR, absoluteMs: HOUR }, now)).toBe(true);
  });
});
