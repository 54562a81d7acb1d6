import "./load-env.ts";
import { findBySlug } from "#db/queries/spaces.ts";
import { findByEmail } from "#db/queries/users.ts";
import { DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL, seedDemo } from "#db/seed.ts";
import { seedDemoUpload } from "./demo-uploads.ts";
import { seedDemoWiki } from "./demo-wiki.ts";
import { closeDb, getDb, migrate } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { hashPassword } from "#app/utils/password.server.ts";

/** `npm run demo`: loads the demo network into an empty database and prints how to sign in. */
const DEMO_PASSWORD = "cercle-demo-2026";

async function main() {
  const env = getEnv();
  await migrate();
  const db = getDb();
  await seedDemo(db, { passwordHash: await hashPassword(DEMO_PASSWORD), now: Date.now() });
  const club = await findBySlug(db, "club-achats");
  const [claire, julien, sophie] = await Promise.all([
    findByEmail(db, DEMO_ADMIN_EMAIL),
    findByEmail(db, DEMO_MEMBER_EMAIL),
    findByEmail(db, "sophie.lefevre@conseil-associes.fr"),
  ]);
  if (club && claire && julien && sophie) {
    await seedDemoWiki(club, { claire, julien, sophie });
    // For the admins' "uploads under way" page: Julien's recording, a third sent.
    await seedDemoUpload(db, club, julien, Date.now());
  }
  await closeDb();
  console.log(`Demo network loaded into ${env.dataDir}/cercle.db.

Start Cercle (npm start) and sign in at ${new URL("/login", env.baseUrl)} with:
  network admin   ${DEMO_ADMIN_EMAIL}
  member          ${DEMO_MEMBER_EMAIL}
  password        ${DEMO_PASSWORD}   (every demo account)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
