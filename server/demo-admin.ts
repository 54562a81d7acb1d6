import { addMember } from "#db/queries/members.ts";
import { currentProfileInput, writeProfile } from "#db/queries/people.ts";
import { createUser } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { newId } from "#db/ids.ts";
import { deactivateAccount } from "#app/admin/accounts.server.ts";
import { logoKey } from "#app/admin/logo.ts";
import { processLogo, storeLogo } from "#app/admin/logo.server.ts";
import { changeLogo } from "#app/admin/network.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { at, frenchSpacing, must, type DemoWorld } from "./demo-world.ts";

const FORMAT = { direction: null, format: "", indent: 0, version: 1 };

/** A bio as the profile's editor saves it: one paragraph of Lexical JSON. */
function bioJson(words: string) {
  const children = [{ type: "text", text: frenchSpacing(words), format: 0, style: "", mode: "normal", detail: 0, version: 1 }];
  return JSON.stringify({ root: { type: "root", ...FORMAT, children: [{ type: "paragraph", ...FORMAT, textFormat: 0, textStyle: "", children }] } });
}

/**
 * The network admin's console, in the demo (issue 20). Each member last
 * signed in some day of the past weeks (Pierre, retired, not for two
 * months: the "over 30 days" filter finds him). Éric Vasseur, co-opted into
 * the Lyon circle by Karim last spring, left his firm for a client's
 * payroll; Claire deactivated his account ten days ago: he cannot sign in,
 * is out of the directory, and what he wrote stays. The audit log holds it.
 */

/** Days since each demo member's last sign-in; the others' come from their own acts. */
const LAST_SIGN_IN_DAYS: Record<string, number> = {
  claire: 0,
  julien: 2,
  sophie: 1,
  karim: 3,
  anne: 6,
  thomas: 12,
  nathalie: 4,
  pierre: 64,
  amelie: 1,
  olivier: 21,
  camille: 8,
  lucas: 5,
};

export async function seedDemoAdmin(world: DemoWorld, passwordHash: string) {
  for (const [key, days] of Object.entries(LAST_SIGN_IN_DAYS)) {
    const user = world.people[key];
    if (user) await world.db.updateTable("user").set({ last_sign_in_at: at(world, days, 9, 12) }).where("id", "=", user.id).execute();
  }
  const karim = world.people.karim;
  const joined = at(world, 190, 10, 0);
  const eric = await createUser(world.db, {
    email: "eric.vasseur@conseil-associes.example",
    displayName: "Éric Vasseur",
    passwordHash,
    sponsorId: karim.id,
    locale: "fr",
    now: joined,
  });
  await addMember(world.db, { spaceId: world.spaces.lyon.id, userId: eric.id, role: "member", sponsorId: karim.id, now: joined });
  const bio = "Contrôleur de gestion dans l'industrie mécanique, j'ai accompagné des ETI de la vallée de l'Arve sur leurs prix de revient.";
  await writeProfile(
    world.db,
    eric.id,
    {
      ...(await currentProfileInput(world.db, eric.id)),
      headline: "Contrôle de gestion industriel",
      bio: { json: bioJson(bio), html: `<p class="rt-p">${frenchSpacing(bio).replace(/'/g, "&#x27;")}</p>` },
      skills: ["contrôle de gestion", "prix de revient", "industrie", "tableaux de bord"],
      region: "ara",
      city: "Annecy",
      professionalStatus: "company",
      languages: ["fr", "de"],
      openTo: ["missions"],
    },
    at(world, 189, 9, 30),
  );
  await world.db.updateTable("user").set({ last_sign_in_at: at(world, 41, 18, 40) }).where("id", "=", eric.id).execute();
  const claire = world.people.claire;
  must("deactivation", await transact(world.db, (trx) => deactivateAccount(trx, { actor: actorOf(claire), ip: world.ip, now: at(world, 10, 11, 5) }, { userId: eric.id })));
  await seedDemoLogo(world);
}

/**
 * The network's mark: two interlocked rings in the app's indigo, drawn here
 * (no image file in the repository) and sent through the console's upload
 * path (admin.network_.logo.ts): sharp checks and resizes it, it is stored,
 * then the network points at it, audited as Claire's act five weeks ago.
 * The console refuses SVG, so the drawing goes in as a PNG, as a designer's
 * export would.
 */
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 64 64">
  <defs><clipPath id="over"><rect x="27" y="14" width="10" height="13"/></clipPath></defs>
  <rect width="64" height="64" rx="15" fill="#312e81"/>
  <circle cx="38.5" cy="32" r="12.5" fill="none" stroke="#a5b4fc" stroke-width="4.5"/>
  <circle cx="25.5" cy="32" r="12.5" fill="none" stroke="#ffffff" stroke-width="4.5"/>
  <circle cx="38.5" cy="32" r="12.5" fill="none" stroke="#a5b4fc" stroke-width="4.5" clip-path="url(#over)"/>
</svg>`;

async function seedDemoLogo(world: DemoWorld) {
  const { default: sharp } = await import("sharp");
  const png = await sharp(Buffer.from(LOGO_SVG)).png().toBuffer();
  const processed = must("logo", await processLogo(new Uint8Array(png)));
  const id = newId();
  await storeLogo(getStorage(), id, processed.webp);
  const claire = world.people.claire;
  must("logo", await transact(world.db, (trx) => changeLogo(trx, { actor: actorOf(claire), ip: world.ip, now: at(world, 36, 14, 30) }, { logoKey: logoKey(id) })));
}
