import { describe, expect, test } from "vitest";
import { canEditFile, canManageFileTrash, canManageFolders, canManageUploads, canReadFiles, canUploadFiles } from "#app/policies/file.ts";
import { label, ownId, someoneElse, spaceAt, whoIs, type Where, type Who } from "#tests/helpers/policy-cast.ts";

// Files, role by role, written out by hand (SPEC, Roles): readers download;
// members upload and edit what they uploaded; editors edit anyone's, run the
// folders and the trash; admins also see and cancel every upload under way.
// [who, where, read, upload, folders, trash, uploads under way, edit own file, edit another's]
const TABLE: Array<[Who, Where, boolean, boolean, boolean, boolean, boolean, boolean, boolean]> = [
  ["guest", "listed", true, false, false, false, false, false, false],
  ["member", "listed", true, true, false, false, false, true, false],
  ["editor", "listed", true, true, true, true, false, true, true],
  ["admin", "listed", true, true, true, true, true, true, true],
  ["network admin", "listed", true, true, true, true, true, true, true],
  ["outsider", "listed", false, false, false, false, false, false, false],
  ["outsider", "open", true, false, false, false, false, false, false],
  ["anonymous", "open", false, false, false, false, false, false, false],
  ["member", "archived", true, false, false, false, false, false, false],
  ["admin", "archived", true, false, false, false, false, false, false],
  ["network admin", "archived", true, false, false, false, false, false, false],
];

describe("files, role by role", () => {
  for (const [who, where, read, upload, folders, trash, uploads, editOwn, editOthers] of TABLE) {
    test(`${label(who, where)}: read ${read}, upload ${upload}, folders ${folders}, trash ${trash}, uploads ${uploads}, edit own ${editOwn}, another's ${editOthers}`, () => {
      const [actor, membership] = whoIs(who);
      const space = spaceAt(where);
      expect(canReadFiles(actor, membership, space)).toBe(read);
      expect(canUploadFiles(actor, membership, space)).toBe(upload);
      expect(canManageFolders(actor, membership, space)).toBe(folders);
      expect(canManageFileTrash(actor, membership, space)).toBe(trash);
      expect(canManageUploads(actor, membership, space)).toBe(uploads);
      expect(canEditFile(actor, membership, space, { created_by: ownId(actor) })).toBe(editOwn);
      expect(canEditFile(actor, membership, space, { created_by: someoneElse })).toBe(editOthers);
    });
  }

  test("a file whose uploader's account is gone is edited by editors only", () => {
    const [member, asMember] = whoIs("member");
    const [editor, asEditor] = whoIs("editor");
    expect(canEditFile(member, asMember, spaceAt("listed"), { created_by: null })).toBe(false);
    expect(canEditFile(editor, asEditor, spaceAt("listed"), { created_by: null })).toBe(true);
  });
});
