import { describe, expect, test } from "vitest";
import { emailField, multilineText, nameField, optionalText, slugField, slugify, withNewPassword } from "#app/utils/validation.ts";

describe("slugify", () => {
  test.each([
    ["Club Achats & Supply chain", "club-achats-supply-chain"],
    ["Éléphants à Paris", "elephants-a-paris"],
    ["Cercle Île-de-France", "cercle-ile-de-france"],
    ["  --Hello,   World!--  ", "hello-world"],
    ["Ça marche ? Oui.", "ca-marche-oui"],
    ["2026 : bilan", "2026-bilan"],
    ["!!!", ""],
    ["", ""],
    ["日本語", ""],
  ])("%j → %j", (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  test("cuts to 48 characters without leaving a hyphen at the end", () => {
    const long = "a".repeat(47) + " b c d e";
    const slug = slugify(long);
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug.endsWith("-")).toBe(false);
    expect(slug).toBe("a".repeat(47));
    expect(slugify("x".repeat(100))).toBe("x".repeat(48));
  });

  test("a long title is cut after its last whole word, never inside one", () => {
    const title = "Retour d’expérience : négociation des contrats cadres avec les fournisseurs stratégiques";
    // The whole slug would be "retour-d-experience-negociation-des-contrats-cadres-avec-…"
    expect(slugify(title)).toBe("retour-d-experience-negociation-des-contrats");
    // A word ending exactly at the limit stays whole.
    const exact = `${"a".repeat(43)} bbbb cc`;
    expect(slugify(exact)).toBe(`${"a".repeat(43)}-bbbb`);
    // A last word longer than half the room is cut inside rather than dropped.
    expect(slugify(`ab ${"c".repeat(80)}`)).toBe(`ab-${"c".repeat(45)}`);
  });

  test.each(["Club Achats & Supply chain", "Groupe projet — Énergie 2030", "A1", "x".repeat(60), "Les élus du Grand-Est !!!"])(
    "what it makes of %j passes slugField",
    (name) => {
      expect(slugField.safeParse(slugify(name)).success).toBe(true);
    },
  );
});

describe("slugField", () => {
  test.each(["ab", "club-achats", "a1", "2030", "a".repeat(48)])("accepts %j", (slug) => {
    expect(slugField.parse(slug)).toBe(slug);
  });

  test("trims and lower-cases before checking", () => {
    expect(slugField.parse("  Club-Achats ")).toBe("club-achats");
  });

  test.each(["", "a", "-ab", "ab-", "a_b", "a b", "é-a", "a".repeat(49), "../etc", "a/b", "a\nb"])("refuses %j with v.slug or v.required", (slug) => {
    const result = slugField.safeParse(slug);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toMatch(/^v\.(slug|required)$/);
  });
});

describe("emailField", () => {
  test("trims and lower-cases", () => {
    expect(emailField.parse("  Alice@Example.ORG ")).toBe("alice@example.org");
  });
  test.each(["", "alice", "alice@", "@example.org", "a b@example.org"])("refuses %j", (email) => {
    expect(emailField.safeParse(email).success).toBe(false);
  });
});

describe("withNewPassword", () => {
  const schema = withNewPassword({});
  test("needs 12 to 128 characters, typed twice the same", () => {
    expect(schema.safeParse({ password: "a".repeat(12), confirm: "a".repeat(12) }).success).toBe(true);
    expect(schema.safeParse({ password: "a".repeat(128), confirm: "a".repeat(128) }).success).toBe(true);
    const short = schema.safeParse({ password: "a".repeat(11), confirm: "a".repeat(11) });
    expect(short.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["password", "v.passwordLength"]]);
    expect(schema.safeParse({ password: "a".repeat(129), confirm: "a".repeat(129) }).success).toBe(false);
    const mismatch = schema.safeParse({ password: "a".repeat(12), confirm: "b".repeat(12) });
    expect(mismatch.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["confirm", "v.passwordMatch"]]);
  });
});

describe("one-line and multi-line text refuse control characters", () => {
  const HOSTILE_ONE_LINE = [
    "Mallory\r\n   Link: https://evil.example/reset-password/x",
    "Mallory\nSecond line",
    "Mallory\rOverwritten",
    "Mal\u0000lory",
    "Mal\tlory",
    "Mal\u001blory[2J",
    "Mal\u007flory",
    "Mal\u0085lory",
    "Mal\u2028lory",
    "Mal\u2029lory",
  ];

  test.each(HOSTILE_ONE_LINE)("a name %j is refused with v.oneLine", (value) => {
    const result = nameField.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe("v.oneLine");
  });

  test.each(HOSTILE_ONE_LINE)("a one-line optional text %j is refused with v.oneLine", (value) => {
    const result = optionalText(200).safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe("v.oneLine");
  });

  test.each(["Claire Martin", "Zoë O’Brien-Ñúñez", "李小龍", "محمد", "Émilie 🚀", "A\u00a0B"])("a name %j is kept", (value) => {
    expect(nameField.parse(value)).toBe(value);
  });

  test("names are still trimmed and bounded", () => {
    expect(nameField.parse("  Claire  ")).toBe("Claire");
    expect(nameField.safeParse("x".repeat(101)).error?.issues[0].message).toBe("v.tooLong");
  });

  test("a multi-line text keeps its line breaks, sent by browsers as CRLF, as LF", () => {
    expect(multilineText(2000).parse("Premier paragraphe.\r\n\r\nSecond.")).toBe("Premier paragraphe.\n\nSecond.");
    expect(multilineText(2000).parse("a\nb")).toBe("a\nb");
  });

  test.each(["a\u0000b", "a\rb", "a\tb", "a\u001b[31mb", "a\u0085b", "a\u2028b", "a\u007fb"])(
    "a multi-line text refuses %j with v.controlChars",
    (value) => {
      const result = multilineText(2000).safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toBe("v.controlChars");
    },
  );

  test("a missing optional text is empty", () => {
    expect(optionalText(10).parse(undefined)).toBe("");
    expect(multilineText(10).parse(undefined)).toBe("");
  });
});
