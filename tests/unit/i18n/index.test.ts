import { IntlMessageFormat } from "intl-messageformat";
import type { MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, test } from "vitest";
import { catalogues, isLocale, isMessageKey, negotiateLocale, translate, type MessageKey } from "#app/i18n/index.ts";
import { en } from "#app/i18n/en.ts";
import { fr } from "#app/i18n/fr.ts";

describe("negotiateLocale", () => {
  test.each([
    [null, null],
    [undefined, null],
    ["", null],
    ["fr", "fr"],
    ["en", "en"],
    ["en-US", "en"],
    ["EN-gb", "en"],
    ["fr-CA,fr;q=0.9", "fr"],
    ["en-US,en;q=0.9,fr;q=0.8", "en"],
    // q-values beat the order of listing
    ["fr;q=0.5, en;q=0.9", "en"],
    ["fr;q=0.5,en", "en"],
    ["en;q=0.1, fr;q=0.2", "fr"],
    // languages we lack are skipped
    ["de-DE,de;q=0.9,fr;q=0.7,en;q=0.3", "fr"],
    ["de, it", null],
    ["*", null],
    // q=0 means "not this one"
    ["en;q=0, fr;q=0.1", "fr"],
    ["en;q=0", null],
    // equal q-values keep the listed order
    ["en;q=0.8, fr;q=0.8", "en"],
    ["fr;q=0.8, en;q=0.8", "fr"],
    // malformed q-values are ignored
    ["en;q=abc, fr;q=0.2", "fr"],
    // whitespace around parts and parameters
    ["  de ;q=0.9 ,  en ; q=0.5 ", "en"],
  ])("%j → %j", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe("isLocale / isMessageKey", () => {
  test("know exactly our locales and keys", () => {
    expect(isLocale("fr")).toBe(true);
    expect(isLocale("en")).toBe(true);
    expect(isLocale("de")).toBe(false);
    expect(isLocale("FR")).toBe(false);
    expect(isLocale(null)).toBe(false);
    expect(isMessageKey("login.title")).toBe(true);
    expect(isMessageKey("no.such.key")).toBe(false);
    expect(isMessageKey("toString")).toBe(false);
    expect(isMessageKey("__proto__")).toBe(false);
  });
});

// intl-messageformat's element types (TYPE in @formatjs/icu-messageformat-parser).
const T = { literal: 0, argument: 1, number: 2, date: 3, time: 4, select: 5, plural: 6, pound: 7, tag: 8 } as const;

type ArgKind = "text" | "number" | "date" | "select" | "tag";

/** The arguments a message uses, with the kind of value each takes; select arguments with their options. */
function argumentsOf(elements: MessageFormatElement[], into = new Map<string, { kind: ArgKind; options?: string[] }>()) {
  for (const el of elements) {
    switch (el.type) {
      case T.argument:
        if (!into.has(el.value)) into.set(el.value, { kind: "text" });
        break;
      case T.number:
      case T.plural:
        into.set(el.value, { kind: "number" });
        break;
      case T.date:
      case T.time:
        into.set(el.value, { kind: "date" });
        break;
      case T.select:
        into.set(el.value, { kind: "select", options: Object.keys(el.options) });
        break;
      case T.tag:
        into.set(el.value, { kind: "tag" });
        break;
    }
    if (el.type === T.select || el.type === T.plural) {
      for (const option of Object.values(el.options)) argumentsOf(option.value, into);
    }
    if (el.type === T.tag) argumentsOf(el.children, into);
  }
  return into;
}

function plausibleParams(args: Map<string, { kind: ArgKind; options?: string[] }>, variant: number) {
  const params: Record<string, unknown> = {};
  for (const [name, { kind, options }] of args) {
    if (kind === "text") params[name] = `«${name}»`;
    else if (kind === "number") params[name] = [0, 1, 2, 7][variant % 4];
    else if (kind === "date") params[name] = new Date(Date.UTC(2026, 10, 22, 9, 0));
    else if (kind === "select") params[name] = options![variant % options!.length];
    else params[name] = (chunks: unknown[]) => chunks.join("");
  }
  return params;
}

const keys = Object.keys(fr) as MessageKey[];

describe("catalogues", () => {
  test("en has exactly the keys of fr", () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
  });

  test("the catalogue map serves both", () => {
    expect(catalogues.fr).toBe(fr);
    expect(catalogues.en).toBe(en);
  });

  test.each(keys)("%s: non-empty in both languages, same ICU arguments, formats with plausible values", (key) => {
    const sources = { fr: fr[key], en: (en as Record<string, string>)[key] };
    const argsByLocale = {} as Record<"fr" | "en", Map<string, { kind: ArgKind; options?: string[] }>>;
    for (const locale of ["fr", "en"] as const) {
      const source = sources[locale];
      expect(typeof source).toBe("string");
      expect(source.trim(), `${locale} ${key} is empty`).not.toBe("");
      const formatter = new IntlMessageFormat(source, locale);
      argsByLocale[locale] = argumentsOf(formatter.getAst());
    }
    const describeArgs = (m: Map<string, { kind: ArgKind; options?: string[] }>) =>
      [...m].map(([name, a]) => `${name}:${a.kind}${a.options ? `(${[...a.options].sort().join("|")})` : ""}`).sort();
    expect(describeArgs(argsByLocale.en)).toEqual(describeArgs(argsByLocale.fr));

    for (const locale of ["fr", "en"] as const) {
      for (let variant = 0; variant < 4; variant++) {
        const params = plausibleParams(argsByLocale[locale], variant);
        const out = translate(locale, key, params as Record<string, string | number | Date>);
        expect(out.trim()).not.toBe("");
        // Every argument was filled in: no ICU syntax left over.
        expect(out).not.toMatch(/\{[a-zA-Z_]+(,|\})/);
        for (const [name, a] of argsByLocale[locale]) {
          if (a.kind === "text" && !isInsideSelectOnly(sources[locale], name)) expect(out).toContain(`«${name}»`);
        }
      }
    }
  });

  test("plural messages agree with the number they are given", () => {
    expect(translate("fr", "login.throttled", { minutes: 1 })).toContain("1 minute.");
    expect(translate("fr", "login.throttled", { minutes: 5 })).toContain("5 minutes");
    expect(translate("en", "login.throttled", { minutes: 1 })).toContain("1 minute.");
    expect(translate("en", "login.throttled", { minutes: 5 })).toContain("5 minutes");
  });

  test("no apostrophe is swallowed by ICU quoting (an ASCII ' before { or } starts a quoted span)", () => {
    for (const locale of ["fr", "en"] as const) {
      for (const key of keys) {
        const source = catalogues[locale][key];
        const ast = new IntlMessageFormat(source, locale).getAst();
        // Only flat messages: in plural/select messages a single branch is printed.
        if (!ast.every((el) => el.type === T.literal || el.type === T.argument)) continue;
        const params = plausibleParams(argumentsOf(ast), 0) as Record<string, string>;
        const out = translate(locale, key, params);
        const count = (s: string) => (s.match(/'/g) ?? []).length;
        expect(count(out), `${locale} ${key}`).toBe(count(source));
        expect(out, `${locale} ${key}`).not.toMatch(/\{|\}/);
      }
    }
  });

  test("every message, filled by translate(), reads as IntlMessageFormat writes it (the join kept for plain messages is the same text)", () => {
    let flat = 0;
    for (const locale of ["fr", "en"] as const) {
      for (const key of keys) {
        const source = catalogues[locale][key];
        const formatter = new IntlMessageFormat(source, locale);
        const ast = formatter.getAst();
        if (ast.every((el) => el.type === T.literal || el.type === T.argument) && ast.some((el) => el.type === T.argument)) flat += 1;
        for (let variant = 0; variant < 2; variant++) {
          const params = plausibleParams(argumentsOf(ast), variant) as Record<string, string | number | Date>;
          // Numbers too where a plain argument takes one ("{count}" written as String(count)).
          if (variant === 1) for (const name of Object.keys(params)) if (typeof params[name] === "string") params[name] = 1234.5;
          expect(translate(locale, key, params), `${locale} ${key}`).toBe(String(formatter.format(params)));
        }
      }
    }
    // The comparison covered the messages the join serves, not only formatter ones.
    expect(flat).toBeGreaterThan(50);
  });
});

/** A text argument that only appears inside some branches of a select/plural may be absent from a given output. */
function isInsideSelectOnly(source: string, name: string): boolean {
  const ast = new IntlMessageFormat(source, "fr").getAst();
  return !ast.some((el) => el.type === T.argument && el.value === name);
}
