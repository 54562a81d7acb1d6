import { can, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Files follow the SPEC's table: everyone who reads the space downloads;
 * members upload; a member renames, moves, versions or deletes the files
 * they uploaded, anyone else's takes an editor; folders and the trash are
 * the editors' and admins'.
 */
export const canReadFiles = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "read");
export const canUploadFiles = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "contribute");
export const canManageFolders = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "moderate");
export const canManageFileTrash = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "moderate");
/** See every upload under way in the space (who, what, how far) and cancel one: its admins, and the network admin. */
export const canManageUploads = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "configure");

/** Rename, move, upload a new version, delete. */
export function canEditFile(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, file: { created_by: string | null }) {
  if (can(actor, membership, space, "moderate")) return true;
  return can(actor, membership, space, "contribute") && actor !== null && file.created_by === actor.id;
}
