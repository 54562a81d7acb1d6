import { expect, test } from "vitest";
import { entryName, fileEntryPath, splitExtension, uniquePaths } from "#app/exports/paths.ts";
import { shouldDeflate } from "#app/exports/zip.server.ts";
import { DOCUMENTED, readmeText } from "#app/exports/readme.ts";

/** Names inside a member's zip come from what members typed: hostile input is normal input. */

test.each([
  ["budget 2026.xlsx", "budget 2026.xlsx"],
  ["../../etc/passwd", "_.._etc_passwd"],
  ["..", "_"],
  [".", "_"],
  ["", "_"],
  ["   ", "_"],
  [".hidden", "hidden"],
  ["C:\\Windows\\system32", "C__Windows_system32"],
  ["rapport?final*.pdf", "rapport_final_.pdf"],
  ["ligne\nsuivante\u0000.txt", "ligne_suivante_.txt"],
  ["con", "_con"],
  ["NUL.txt", "_NUL.txt"],
  ["fin avec points...", "fin avec points"],
  ["Cafe\u0301.txt", "Café.txt"],
])("entryName(%j) is %j", (input, expected) => {
  expect(entryName(input)).toBe(expected);
});

test("a very long name is cut, keeping its extension, never beyond 120 characters", () => {
  const name = entryName(`${"é".repeat(300)}.pdf`);
  expect([...name]).toHaveLength(120);
  expect(name.endsWith(".pdf")).toBe(true);
});

test("extensions: the last dot, not a leading one, not a long tail", () => {
  expect(splitExtension("a.tar.gz")).toEqual({ stem: "a.tar", ext: ".gz" });
  expect(splitExtension(".profile")).toEqual({ stem: ".profile", ext: "" });
  expect(splitExtension("note.")).toEqual({ stem: "note.", ext: "" });
  expect(splitExtension("version.definitivement-finale")).toEqual({ stem: "version.definitivement-finale", ext: "" });
});

test("a file's path: its club, its folders, its name; an older version says which", () => {
  expect(fileEntryPath({ top: "files", club: "Club / Achats", folders: ["2026", ".."], name: "cr.txt", version: null })).toBe("files/Club _ Achats/2026/_/cr.txt");
  expect(fileEntryPath({ top: "files", club: "Club", folders: [], name: "cr.txt", version: 2 })).toBe("files/Club/cr (version 2).txt");
});

test("two files that would share a path both keep one, whatever the case", () => {
  expect(uniquePaths(["files/a/Note.txt", "files/a/note.txt", "files/a/note.txt", "files/b/note.txt", "files/a/sans"])).toEqual([
    "files/a/Note.txt",
    "files/a/note (2).txt",
    "files/a/note (3).txt",
    "files/b/note.txt",
    "files/a/sans",
  ]);
});

test("text is deflated; what is compressed already is stored", () => {
  for (const type of ["text/plain", "text/csv; charset=utf-8", "application/json", "image/svg+xml"]) expect(shouldDeflate(type), type).toBe(true);
  for (const type of ["image/jpeg", "video/mp4", "application/zip", "application/pdf", "application/octet-stream", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]) {
    expect(shouldDeflate(type), type).toBe(false);
  }
});

test("the README names every document, in French and in English, and says when files went missing", () => {
  const text = readmeText({ network: "Réseau", member: "Léa", madeAt: new Date("2026-12-06T09:30:00Z"), files: 3, missing: 1 });
  for (const name of DOCUMENTED) {
    expect(text).toContain(`  ${name} :`);
    expect(text).toContain(`  ${name}:`);
  }
  expect(text).toContain("Export fait le 2026-12-06 09:30 (UTC).");
  expect(text).toContain("1 fichier(s) introuvable(s)");
  expect(text).toContain("1 file(s) could not be found");
  expect(readmeText({ network: "R", member: "L", madeAt: new Date(), files: 0, missing: 0 })).not.toContain("missing");
});
