import type { Space } from "#db/schema.ts";
import { listMembers } from "#db/queries/members.ts";
import { coverOf } from "#app/blog/load.server.ts";
import { canOpenToNetwork } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { offeredZones } from "./zones.server.ts";

/**
 * What the workshop form shows besides the values typed: the zones offered,
 * the space's members who may lead it, the cover chosen (read again from the
 * space's files, so another space's id shows nothing), and whether the space
 * may open it to the network.
 */
export async function workshopFormContext(space: Space, readerZone: string, coverFileId: string | null) {
  const [members, cover] = await Promise.all([listMembers(getDb(), space.id), coverFileId ? coverOf(space, { cover_file_id: coverFileId }) : Promise.resolve(null)]);
  return {
    zones: offeredZones(readerZone),
    members: members.map((m) => ({ id: m.id, name: m.display_name })).sort((a, b) => a.name.localeCompare(b.name, "fr")),
    cover: cover ? { id: cover.id, name: cover.name, thumbnail: cover.thumbnail } : null,
    canOpenToNetwork: canOpenToNetwork(space),
  };
}
