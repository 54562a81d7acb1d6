import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { codeAt, newRecoveryCodes, normalizeRecoveryCode, normalizeTotpCode, secretForHand, stepAt, stepOfCode } from "#app/second-factor/codes.server.ts";
import { canRequireSecondFactor, canResetSecondFactor, canTurnOffSecondFactor } from "#app/policies/second-factor.ts";

// RFC 6238 Appendix B's SHA-1 key; its 8-digit codes end in the 6-digit ones (the truncation is modulo 10^digits).
const RFC_KEY = new TextEncoder().encode("12345678901234567890");

describe("authenticator codes (app/second-factor/codes.server.ts)", () => {
  test("the codes of RFC 6238's test vectors, six digits", () => {
    expect(codeAt(RFC_KEY, stepAt(59_000))).toBe("287082");
    expect(codeAt(RFC_KEY, stepAt(1111111109_000))).toBe("081804");
    expect(codeAt(RFC_KEY, stepAt(1234567890_000))).toBe("005924");
    expect(codeAt(RFC_KEY, stepAt(2000000000_000))).toBe("279037");
  });

  test("a code is accepted for its own step and one either side, and says which step it was", () => {
    const now = 1234567890_000;
    const step = stepAt(now);
    expect(stepOfCode(RFC_KEY, codeAt(RFC_KEY, step), now)).toBe(step);
    expect(stepOfCode(RFC_KEY, codeAt(RFC_KEY, step - 1), now)).toBe(step - 1);
    expect(stepOfCode(RFC_KEY, codeAt(RFC_KEY, step + 1), now)).toBe(step + 1);
    expect(stepOfCode(RFC_KEY, codeAt(RFC_KEY, step - 2), now)).toBeNull();
    expect(stepOfCode(RFC_KEY, codeAt(RFC_KEY, step + 2), now)).toBeNull();
  });

  test("anything but six digits is no code", () => {
    const now = 59_000;
    for (const typed of ["", "28708", "2870821", "28708a", " 287082", "287082\n", "２８７０８２", "94287082"]) {
      expect(stepOfCode(RFC_KEY, typed, now)).toBeNull();
    }
    expect(normalizeTotpCode("287 082")).toBe("287082");
  });

  test("the key for typing by hand is the base32 of the secret, in groups of four", () => {
    expect(secretForHand(RFC_KEY)).toBe("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
  });

  test("recovery codes: ten, different, 80 bits each; typed in any case, with spaces or dashes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(normalizeRecoveryCode(" ABCD efgh-2345 WXYZ ")).toBe("abcd-efgh-2345-wxyz");
    expect(normalizeRecoveryCode("abcd-efgh-2345")).toBeNull();
    expect(normalizeRecoveryCode("abcd-efgh-2345-wxy1")).toBeNull();
    expect(normalizeRecoveryCode("abcd-efgh-2345-wxyz' OR 1=1")).toBeNull();
  });

  test("the HOTP under it agrees with node's HMAC (RFC 4226 §5.3)", () => {
    const key = Buffer.from("3132333435363738393031323334353637383930", "hex");
    const mac = createHmac("sha1", key).update(Buffer.from([0, 0, 0, 0, 0, 0, 0, 9])).digest();
    const o = mac[19] & 0xf;
    const expected = String((((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3]) % 1_000_000).padStart(6, "0");
    expect(codeAt(new Uint8Array(key), 9)).toBe(expected);
    // RFC 4226 Appendix D, count 9.
    expect(expected).toBe("520489");
  });
});

describe("second factor policies", () => {
  const admin = { id: "a", isNetworkAdmin: true };
  const member = { id: "m", isNetworkAdmin: false };
  test.each([
    ["network admin", admin, true],
    ["member", member, false],
    ["nobody", null, false],
  ] as const)("%s may require a second factor of admins: %s", (_, actor, allowed) => {
    expect(canRequireSecondFactor(actor)).toBe(allowed);
  });
  test("a network admin resets others' second factor, never their own; nobody else resets any", () => {
    expect(canResetSecondFactor(admin, { id: "m" })).toBe(true);
    expect(canResetSecondFactor(admin, { id: "a" })).toBe(false);
    expect(canResetSecondFactor(member, { id: "a" })).toBe(false);
    expect(canResetSecondFactor(null, { id: "m" })).toBe(false);
  });
  test("turning it off: only when the network does not require it of the member", () => {
    expect(canTurnOffSecondFactor(false)).toBe(true);
    expect(canTurnOffSecondFactor(true)).toBe(false);
  });
});
