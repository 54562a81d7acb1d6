import "./load-env.ts";
import { DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL, seedDemo } from "#db/seed.ts";
import { stopContentWorkers } from "#app/editor/content-pool.server.ts";
import { seedDemoAdmin } from "./demo-admin.ts";
import { seedDemoAsks } from "./demo-asks.ts";
import { seedDemoBackup } from "./demo-backup.ts";
import { seedDemoBlog } from "./demo-blog.ts";
import { seedDemoComments } from "./demo-comments.ts";
import { seedDemoConversations } from "./demo-conversations.ts";
import { seedDemoFiles } from "./demo-files.ts";
import { seedDemoHome } from "./demo-home.ts";
import { seedDemoLeave } from "./demo-leave.ts";
import { seedDemoDigests } from "./demo-digests.ts";
import { seedDemoExports } from "./demo-exports.ts";
import { seedDemoMembers } from "./demo-members.ts";
import { seedDemoPeople } from "./demo-people.ts";
import { seedDemoPhotos } from "./demo-photos.ts";
import { seedDemoSearch } from "./demo-search.ts";
import { seedDemoSecurity } from "./demo-security.ts";
import { seedDemoShares } from "./demo-shares.ts";
import { seedDemoUpload } from "./demo-uploads.ts";
import { seedDemoWiki } from "./demo-wiki.ts";
import { seedDemoWorkshops } from "./demo-workshops.ts";
import { loadWorld, monthYear, workshopDays } from "./demo-world.ts";
import { closeDb, getDb, migrate } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { hashPassword } from "#app/utils/password.server.ts";

/**
 * `npm run demo`: loads the demo network into an empty database and prints
 * how to sign in. The base (people, spaces, memberships held for months) is
 * db/seed.ts; everything members do in it goes through the app's commands,
 * each in its own transaction and dated in the past weeks: co-optations under
 * way, files (with their thumbnails), wiki pages and their revisions,
 * articles (published, scheduled, draft), comments and the notifications
 * they make. A database that already has accounts is refused untouched.
 */
const DEMO_PASSWORD = "cercle-demo-2026";

async function main() {
  const env = getEnv();
  await migrate();
  // As the server's boot does: proves the storage works (and makes the files folder) before anything is stored.
  await getStorage().check();
  const db = getDb();
  const now = Date.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await seedDemo(db, { passwordHash, now });
  const world = await loadWorld(db, now);
  let shared: { pageLink: string } | undefined;
  try {
    await seedDemoMembers(world, passwordHash);
    await seedDemoPeople(world);
    await seedDemoPhotos(world);
    const files = await seedDemoFiles(world);
    const pages = await seedDemoWiki(world, files);
    const posts = await seedDemoBlog(world, files, pages);
    await seedDemoComments(world, posts, pages);
    await seedDemoWorkshops(world, files, pages);
    await seedDemoAsks(world);
    await seedDemoConversations(world);
    // A former member whose comments read "Ancien membre", and a deletion still pending.
    await seedDemoLeave(world, pages, passwordHash);
    // For the admins' "uploads under way" page: Julien's recording, a third sent.
    await seedDemoUpload(db, world.spaces.achats, world.people.julien, now, monthYear(workshopDays(world).negotiation));
    await seedDemoSearch(world);
    await seedDemoHome(world);
    await seedDemoDigests(world);
    // Share links: a page and a PDF of the purchasing club shown to clients.
    shared = await seedDemoShares(world, files, pages);
    // The admin console (issue 20): last sign-ins, and a deactivated member.
    await seedDemoAdmin(world, passwordHash);
    // Second factors: five members with an authenticator, Sophie's reset by Claire (never the printed logins).
    await seedDemoSecurity(world);
    // Last: Julien's export holds everything the demo gave him.
    await seedDemoExports(world);
  } finally {
    await stopContentWorkers();
  }
  // Last of all, so it holds everything above: a real backup, as `npm run backup` takes it.
  // Not on PostgreSQL, whose backups are its own (decision 116).
  const { database } = env;
  const onPostgres = database.kind === "postgres";
  const backup = onPostgres ? null : await seedDemoBackup(db, { dataDir: env.dataDir, storage: getStorage() });
  await closeDb();
  const where = database.kind === "postgres" ? `PostgreSQL (${redactedUrl(database.url)})` : `${env.dataDir}/cercle.db`;
  console.log(`Demo network loaded into ${where}.

Start Cercle (npm start) and sign in at ${new URL("/login", env.baseUrl)} with:
  network admin   ${DEMO_ADMIN_EMAIL}
  member          ${DEMO_MEMBER_EMAIL}
  password        ${DEMO_PASSWORD}   (every demo account)

Each member lands on their home ("Quoi de neuf"): Julien's marks what came since his
visit two days ago. Claire has mentions and replies waiting; the purchasing club's next workshop is full,
with Amélie on its waitlist (see /agenda). Julien finds asks that match his skills
at /asks, an unread message from Karim and a contact request from Lucas at /messages.
His data export is ready to download at /settings/data ("Mes données").
On the purchasing club's wiki, "Matrice de Kraljic" shows the comments of a member who
left (anonymised): they read "Ancien membre". Hélène Garnier's deletion is pending (audit log).
Claire's console is at /admin (her menu, "Administration du réseau"): Éric Vasseur's account is
deactivated (Membres, état « Désactivé »), the audit log downloads as CSV. Five members sign in
with an authenticator app (Membres, filtre « Vérification en deux étapes »); Claire reset Sophie's
after she changed phones (audit log). The network's logo ${backup ? `and the last backup are at
/admin/network: the demo took one, in ${backup.dir}.` : "is at /admin/network."}
Search from the header (/ or Ctrl+K): "negociation" without its accent finds the
club's workshops, pages and articles, and "contrat de transport" a line inside the
workshop's PDF.
Each wiki page, article, file, workshop and ask says under its title who can read it.
Julien shared "Matrice de Kraljic" with a client for a week: open ${shared ? new URL(shared.pageLink, env.baseUrl) : "(not made)"}
in a private window to see what the client sees; the club's links are at /spaces/club-achats/shares.
The mails the members' acts queued go out when Cercle starts: to SMTP_URL if set,
else into ${env.dataDir}/outbox — Amélie's weekly digest among them.${
    onPostgres && env.storage.driver === "s3"
      ? `
Several servers share this database and bucket: start a second one on another port
(PORT=3001 npm run serve, same .env), sign in on one and carry on on the other.`
      : ""
  }`);
}

/** The URL without its password, for printing. */
function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
