import { describe, expect, test } from "vitest";
import { undeliveredLink } from "#app/members/load.server.ts";

/** When the sender of an invitation may be shown its link: only when mail could not carry it. */

const now = Date.UTC(2026, 11, 4, 9);
const open = { status: "sent" as const, expires_at: now + 1_000 };
const link = "https://cercle.example/invitations/abc";
const payload = JSON.stringify({ subject: "s", text: link, html: link, link });
const mail = (state: string, last_error: string | null, p: string | null = payload) => ({ state, last_error, payload: p });

describe("with a mail server", () => {
  test.each([
    ["queued, not tried yet", mail("pending", null), null],
    ["being sent for the first time", mail("sending", null), null],
    ["delivered", mail("sent", null, null), null],
    ["failed once, waiting for its retry", mail("pending", "ECONNREFUSED"), link],
    ["retried after a failure, under way", mail("sending", "ECONNREFUSED"), link],
    ["given up", mail("failed", "timeout"), link],
    ["cancelled", mail("cancelled", null), null],
  ])("%s", (_, row, expected) => {
    expect(undeliveredLink(open, row, true, now)).toBe(expected);
  });
});

describe("without a mail server", () => {
  test("the link of the .eml is offered, even once 'sent'", () => {
    expect(undeliveredLink(open, mail("sent", null), false, now)).toBe(link);
    expect(undeliveredLink(open, mail("pending", null), false, now)).toBe(link);
  });
});

describe("never for an invitation that no longer opens anything", () => {
  test.each([
    ["accepted", { status: "accepted" as const, expires_at: now + 1_000 }],
    ["revoked", { status: "revoked" as const, expires_at: now + 1_000 }],
    ["waiting for approval", { status: "pending_approval" as const, expires_at: null }],
    ["expired", { status: "sent" as const, expires_at: now }],
  ])("%s", (_, invitation) => {
    expect(undeliveredLink(invitation, mail("failed", "timeout"), true, now)).toBeNull();
    expect(undeliveredLink(invitation, mail("sent", null), false, now)).toBeNull();
  });
  test("nor without a mail row or a payload", () => {
    expect(undeliveredLink(open, undefined, false, now)).toBeNull();
    expect(undeliveredLink(open, mail("failed", "timeout", null), true, now)).toBeNull();
  });
});
