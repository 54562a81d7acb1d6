import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { requireSpace } from "#app/utils/space.server.ts";
import type { loadPage } from "#app/wiki/load.server.ts";

/**
 * One way to say "may": outside app/policies, code asks a named policy
 * (canEditPages…) and never names an ability ("contribute") nor reads the
 * role table, so a rule changed in a policy reaches every guard and view;
 * and an account becomes an actor only through actorOf.
 */

// Checked by tsc (npx tsc --noEmit), which covers tests/: a guard takes a
// policy function, and the name of an ability does not fit where it goes.
// @ts-expect-error an ability's name is no policy
"read" satisfies Parameters<typeof requireSpace>[2];
// @ts-expect-error an ability's name is no policy
"contribute" satisfies Parameters<typeof loadPage>[2];

const APP = path.resolve(import.meta.dirname, "../../../app");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(APP, "policies") ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const files = sources(APP).map((file) => ({ file: path.relative(APP, file), text: readFileSync(file, "utf8") }));

/** Names imported from the space policy module, however the import is spread over lines. */
function importedFromSpacePolicies(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"#app\/policies\/space\.ts"/g)) {
    names.push(...match[1].split(",").map((n) => n.replace(/^\s*type\s+/, "").replace(/\s+as\s+\w+\s*$/, "").trim()).filter(Boolean));
  }
  return names;
}

describe("one way to say may", () => {
  test("the scan sees the app (the guards' module among them)", () => {
    expect(files.some((f) => f.file === path.join("utils", "space.server.ts"))).toBe(true);
  });

  test("no module outside app/policies imports can(), SpaceAbility or the role table", () => {
    const offenders = files.flatMap(({ file, text }) =>
      importedFromSpacePolicies(text)
        .filter((name) => ["can", "SpaceAbility", "ROLE_ABILITIES"].includes(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(offenders).toEqual([]);
  });

  test("no module outside app/policies builds an actor from is_network_admin by hand", () => {
    const offenders = files.filter(({ text }) => /is_network_admin\s*===/.test(text)).map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
