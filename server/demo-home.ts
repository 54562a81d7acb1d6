import { transact } from "#db/transact.ts";
import { visitHome } from "#app/home/commands.server.ts";
import { at, type DemoWorld } from "./demo-world.ts";

/**
 * The home's part of the demo: the members' earlier visits, through the
 * same command as the page. Julien last looked two days ago in the morning
 * (and the week before), so his first visit shows what came since marked
 * new, then the line where he is up to date; Claire looked this morning.
 */
export async function seedDemoHome(world: DemoWorld): Promise<void> {
  const visits: Array<[keyof DemoWorld["people"], number]> = [
    ["julien", at(world, 9, 8, 30)],
    ["julien", at(world, 2, 8, 15)],
    ["claire", at(world, 1, 18, 0)],
    ["claire", at(world, 0, 7, 45)],
  ];
  for (const [key, moment] of visits) {
    if (moment >= world.now) continue;
    await transact(world.db, (trx) => visitHome(trx, { user: world.people[key], now: moment }));
  }
}
