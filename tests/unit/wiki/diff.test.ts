import { describe, expect, test } from "vitest";
import { countChanges, diffText } from "#app/wiki/diff.ts";

describe("diffText", () => {
  test("marks the words added and removed, keeping the rest as it was", () => {
    const segments = diffText("Le club se réunit le mardi.", "Le club se réunit le jeudi soir.");
    expect(segments.filter((s) => s.kind === "removed").map((s) => s.text.trim())).toEqual(["mardi"]);
    expect(segments.filter((s) => s.kind === "added").map((s) => s.text).join("")).toBe("jeudi soir");
    // Read in order, the unchanged and added parts give the new text back; unchanged and removed, the old.
    expect(segments.filter((s) => s.kind !== "removed").map((s) => s.text).join("")).toBe("Le club se réunit le jeudi soir.");
    expect(segments.filter((s) => s.kind !== "added").map((s) => s.text).join("")).toBe("Le club se réunit le mardi.");
  });

  test("counts changed words", () => {
    expect(countChanges(diffText("un deux trois", "un quatre cinq trois"))).toEqual({ added: 2, removed: 1 });
    expect(countChanges(diffText("même texte", "même texte"))).toEqual({ added: 0, removed: 0 });
  });
});
