import { extractPending } from "#app/files/file-text.server.ts";
import { workThroughBacklog } from "#app/search/indexing.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import type { DemoWorld } from "./demo-world.ts";

/**
 * The search's part of the demo: the text inside the files the members sent
 * (the workshop's PDF support, the barometer, the CSV grid) read now, as the
 * background job would in the first minute after `npm start`, and anything
 * written outside a command indexed — so the first search of a visitor finds
 * "renégociation d'un contrat de transport" inside the PDF of the
 * negotiation workshop.
 */
export async function seedDemoSearch(world: DemoWorld): Promise<{ files: number }> {
  let files = 0;
  for (;;) {
    const done = await extractPending(world.db, getStorage(), Date.now());
    if (done.length === 0) break;
    files += done.filter((d) => d.state === "done").length;
  }
  await workThroughBacklog(world.db);
  return { files };
}
