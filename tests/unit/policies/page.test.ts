import { describe, expect, test } from "vitest";
import { canDeletePage, canEditPages, canManageTrash, canReadPages, canRestoreRevision } from "#app/policies/page.ts";
import { label, ownId, someoneElse, spaceAt, whoIs, type Where, type Who } from "#tests/helpers/policy-cast.ts";

// The wiki's rules, role by role, written out by hand (SPEC, Roles): members
// write the wiki together; editors and admins restore revisions, run the
// trash and delete anyone's page; a member deletes the pages they created.
// [who, where, read, edit, restore a revision, manage the trash, delete own page, delete another's page]
const TABLE: Array<[Who, Where, boolean, boolean, boolean, boolean, boolean, boolean]> = [
  ["guest", "listed", true, false, false, false, false, false],
  ["member", "listed", true, true, false, false, true, false],
  ["editor", "listed", true, true, true, true, true, true],
  ["admin", "listed", true, true, true, true, true, true],
  ["network admin", "listed", true, true, true, true, true, true],
  ["outsider", "listed", false, false, false, false, false, false],
  ["outsider", "open", true, false, false, false, false, false],
  ["anonymous", "open", false, false, false, false, false, false],
  ["member", "archived", true, false, false, false, false, false],
  ["admin", "archived", true, false, false, false, false, false],
  ["network admin", "archived", true, false, false, false, false, false],
];

describe("wiki pages, role by role", () => {
  for (const [who, where, read, edit, restore, trash, deleteOwn, deleteOthers] of TABLE) {
    test(`${label(who, where)}: read ${read}, edit ${edit}, restore ${restore}, trash ${trash}, delete own ${deleteOwn}, another's ${deleteOthers}`, () => {
      const [actor, membership] = whoIs(who);
      const space = spaceAt(where);
      expect(canReadPages(actor, membership, space)).toBe(read);
      expect(canEditPages(actor, membership, space)).toBe(edit);
      expect(canRestoreRevision(actor, membership, space)).toBe(restore);
      expect(canManageTrash(actor, membership, space)).toBe(trash);
      expect(canDeletePage(actor, membership, space, { created_by: ownId(actor) })).toBe(deleteOwn);
      expect(canDeletePage(actor, membership, space, { created_by: someoneElse })).toBe(deleteOthers);
    });
  }

  test("a page whose creator's account is gone is deleted by editors only", () => {
    const [member, asMember] = whoIs("member");
    const [editor, asEditor] = whoIs("editor");
    expect(canDeletePage(member, asMember, spaceAt("listed"), { created_by: null })).toBe(false);
    expect(canDeletePage(editor, asEditor, spaceAt("listed"), { created_by: null })).toBe(true);
  });
});
