import { transact } from "#db/transact.ts";
import { allowShareLinks, createShareLink, openShareLink } from "#app/sharing/commands.server.ts";
import { sharedUrl } from "#app/urls.ts";
import type { DemoFiles } from "./demo-files.ts";
import type { DemoPages } from "./demo-wiki.ts";
import { actingIn, at, must, type DemoWorld } from "./demo-world.ts";

/**
 * Share links' part of the demo (issue 19). Claire allowed them in the
 * purchasing club; Julien shared the Kraljic matrix with a client for a
 * week, who opened it three times, and Sophie the workshop's support PDF
 * for two days. Both show on the club's shares page (Claire sees both,
 * Julien his own); the page's link is printed so it can be opened as the
 * client would.
 */
export async function seedDemoShares(world: DemoWorld, files: DemoFiles, pages: DemoPages): Promise<{ pageLink: string }> {
  const claire = await actingIn(world, "claire", "achats", at(world, 3, 9));
  must("share links allowed", await transact(world.db, (trx) => allowShareLinks(trx, claire, { allowed: true })));
  // The space as it is now: the switch is on.
  const space = { ...claire.space, share_links: 1 };

  const julien = { ...(await actingIn(world, "julien", "achats", at(world, 1, 11))), space };
  const page = must("Kraljic shared", await transact(world.db, (trx) => createShareLink(trx, julien, { kind: "page", itemId: pages.kraljic.id, duration: "7d" })));
  for (const [daysAgo, hour] of [
    [1, 14],
    [1, 18],
    [0, 9],
  ] as const) {
    must("Kraljic opened", await transact(world.db, (trx) => openShareLink(trx, { ip: "203.0.113.7", now: at(world, daysAgo, hour) }, page.token, { count: true })));
  }

  const sophie = { ...(await actingIn(world, "sophie", "achats", at(world, 0, 8))), space };
  must("support shared", await transact(world.db, (trx) => createShareLink(trx, sophie, { kind: "file", itemId: files.ids.supportPdf, duration: "2d" })));

  return { pageLink: new URL(sharedUrl(page.token), "http://x").pathname };
}
