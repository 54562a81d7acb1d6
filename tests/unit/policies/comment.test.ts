import { describe, expect, test } from "vitest";
import { canDeleteComment, canEditComment, canModerateComments, canWriteComments } from "#app/policies/comment.ts";
import { label, ownId, someoneElse, spaceAt, whoIs, type Where, type Who } from "#tests/helpers/policy-cast.ts";

// Comments, role by role, written out by hand (SPEC, Roles): everyone who
// takes part in a space comments, guests included; an author edits and
// deletes their own words; editors and admins delete anyone's; nobody edits
// someone else's. Reading a space is not taking part in it.
// [who, where, comment, moderate, edit own, edit another's, delete own, delete another's]
const TABLE: Array<[Who, Where, boolean, boolean, boolean, boolean, boolean, boolean]> = [
  ["guest", "listed", true, false, true, false, true, false],
  ["member", "listed", true, false, true, false, true, false],
  ["editor", "listed", true, true, true, false, true, true],
  ["admin", "listed", true, true, true, false, true, true],
  ["network admin", "listed", true, true, true, false, true, true],
  ["outsider", "listed", false, false, false, false, false, false],
  ["outsider", "open", false, false, false, false, false, false],
  ["anonymous", "open", false, false, false, false, false, false],
  ["guest", "archived", false, false, false, false, false, false],
  ["admin", "archived", false, false, false, false, false, false],
  ["network admin", "archived", false, false, false, false, false, false],
];

const live = (authorId: string | null) => ({ author_id: authorId, deleted_at: null });

describe("comments, role by role", () => {
  for (const [who, where, write, moderate, editOwn, editOthers, deleteOwn, deleteOthers] of TABLE) {
    test(`${label(who, where)}: comment ${write}, moderate ${moderate}, edit own ${editOwn}, another's ${editOthers}, delete own ${deleteOwn}, another's ${deleteOthers}`, () => {
      const [actor, membership] = whoIs(who);
      const space = spaceAt(where);
      expect(canWriteComments(actor, membership, space)).toBe(write);
      expect(canModerateComments(actor, membership, space)).toBe(moderate);
      expect(canEditComment(actor, membership, space, live(ownId(actor)))).toBe(editOwn);
      expect(canEditComment(actor, membership, space, live(someoneElse))).toBe(editOthers);
      expect(canDeleteComment(actor, membership, space, live(ownId(actor)))).toBe(deleteOwn);
      expect(canDeleteComment(actor, membership, space, live(someoneElse))).toBe(deleteOthers);
    });
  }

  test("a deleted comment is neither edited nor deleted again, by its author or a moderator", () => {
    for (const who of ["member", "admin"] as const) {
      const [actor, membership] = whoIs(who);
      const gone = { author_id: ownId(actor), deleted_at: 1 };
      expect(canEditComment(actor, membership, spaceAt("listed"), gone)).toBe(false);
      expect(canDeleteComment(actor, membership, spaceAt("listed"), gone)).toBe(false);
    }
  });

  test("a comment whose author's account is gone is nobody's own: only moderators delete it", () => {
    const [member, asMember] = whoIs("member");
    const [editor, asEditor] = whoIs("editor");
    expect(canDeleteComment(member, asMember, spaceAt("listed"), live(null))).toBe(false);
    expect(canEditComment(member, asMember, spaceAt("listed"), live(null))).toBe(false);
    expect(canDeleteComment(editor, asEditor, spaceAt("listed"), live(null))).toBe(true);
  });
});
