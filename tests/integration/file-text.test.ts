import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { createStorage } from "#storage/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import { extractPending } from "#app/files/file-text.server.ts";
import { THREAD_LIMITS } from "#app/files/text-extract-pool.server.ts";
import { makeDocx, makeEndlessPdf, makeOdt, makePdf, makePptx, makeXlsx, makeZipBombDocx } from "#tests/helpers/documents.ts";
import type { Client } from "#tests/helpers/http.ts";
import { freePort, spawnServer, waitFor, type ServerProcess } from "#tests/helpers/process.ts";
import { s3Config, startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";
import { describeResults, search } from "#tests/helpers/search.ts";
import { sleep } from "#tests/helpers/tus.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The text inside uploaded files, from the upload to the search, on both
 * storage drivers: documents of every kind the extractor reads are uploaded
 * through the app's tus endpoint, the background extraction
 * (extractPending, app/files/file-text.server.ts) is run against the app's
 * database file and a storage driver made as the app makes it, and the
 * search is asked over HTTP as a member and as an outsider.
 *
 * Local disk: the built server inside this process (startServer), so the
 * extraction run here shares the event loop with the server that answers
 * requests. S3: the built server in a child process (build/server.js) with
 * STORAGE_DRIVER=s3 against s3rver — one in-process server per test file is
 * all the build allows. Either way the server's own job (every 10 s) works
 * through the same backlog beside the calls made here: the claims keep them
 * apart, and the assertions hold whoever extracted a version.
 */

type P = "admin" | "member" | "outsider";
type S = "listed" | "secret";

interface Ctx {
  w: World<P, S>;
  db: DB;
  storage: StorageDriver;
  /** The same driver kind, unable to read anything (a store that is down). */
  down: StorageDriver;
  close(): Promise<void>;
}

const PEOPLE = {
  admin: { displayName: "Adèle Fichiers" },
  member: { displayName: "Marc Lecteur" },
  outsider: { displayName: "Omar Dehors" },
};
const SPACES = {
  listed: { createdBy: "admin", slug: "club-documents", name: "Club Documents", visibility: "listed", members: { member: "member" } },
  secret: { createdBy: "admin", slug: "comite-discret", name: "Comité discret", visibility: "secret", members: { member: "member" } },
} as const;

async function localApp(): Promise<Ctx> {
  const w = await world<P, S>({ domain: "file-text-local.test", people: PEOPLE, spaces: SPACES });
  const storage = createStorage({ driver: "local", root: path.join(w.server.dataDir, "files") });
  // A root under a plain file: every read fails (ENOTDIR), as a lost mount would.
  const notADirectory = path.join(w.server.dataDir, "not-a-directory");
  writeFileSync(notADirectory, "");
  const down = createStorage({ driver: "local", root: path.join(notADirectory, "files") });
  return { w, db: w.store.db, storage, down, close: () => w.close() };
}

async function s3App(): Promise<Ctx> {
  const s3: TestS3Server = await startS3rver();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-file-text-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let child: ServerProcess | undefined;
  const stop = async () => {
    if (child && child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill("SIGTERM");
      await Promise.race([child.exited, sleep(10_000)]);
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill("SIGKILL");
    }
    await s3.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    child = spawnServer({
      NODE_ENV: "production",
      WEB_CONCURRENCY: "1",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      BASE_URL: origin,
      STORAGE_DRIVER: "s3",
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: "1",
    });
    const started = child;
    await waitFor(() => started.output().includes("listening"), "the S3 server to listen", 60_000, started.output);
    const w = await world<P, S>({ attach: { url: origin, dbFile: path.join(dataDir, "cercle.db") }, domain: "file-text-s3.test", people: PEOPLE, spaces: SPACES });
    const storage = createStorage({ driver: "s3", ...s3Config(s3) });
    // The same bucket behind a port where nothing listens.
    const down = createStorage({ driver: "s3", ...s3Config(s3), endpoint: `http://127.0.0.1:${await freePort()}` });
    return {
      w,
      db: w.store.db,
      storage,
      down,
      close: async () => {
        await w.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const MB = 1024 * 1024;
const words = (phrase: string) => phrase.split(" ");

/** Each document kind, with a phrase of its own (three words no other document holds). */
const DOCUMENTS = [
  { kind: "PDF", filename: "compte-rendu-assemblee.pdf", phrase: "marmottes pyrénéennes hivernales", make: (p: string) => makePdf([["Compte rendu de l’assemblée"], [`Nous avons parlé des ${p} au printemps.`]]) },
  { kind: "DOCX", filename: "note-interne.docx", phrase: "chocolatier lyonnais récompensé", make: (p: string) => makeDocx(["Note interne", `Visite chez le ${p} en mars.`]) },
  { kind: "XLSX", filename: "fournisseurs.xlsx", phrase: "tonnellerie bourguignonne centenaire", make: (p: string) => makeXlsx([["Fournisseur", "Ville"], [`La ${p}`, "Beaune"]]) },
  { kind: "PPTX", filename: "presentation-club.pptx", phrase: "funiculaire montmartrois rénové", make: (p: string) => makePptx([["Ordre du jour"], [`Le ${p} cet été`]]) },
  { kind: "ODT", filename: "proces-verbal.odt", phrase: "bouillabaisse marseillaise authentique", make: (p: string) => makeOdt(["Procès-verbal", `Dîner autour d’une ${p}.`]) },
  { kind: "Markdown", filename: "lisez-moi.md", phrase: "cidrerie normande artisanale", make: (p: string) => new TextEncoder().encode(`# Lisez-moi\n\nUne ${p} nous reçoit en octobre.\n`) },
] as const;

for (const driver of ["local", "s3"] as const) {
  describe(`file text on the ${driver} driver`, () => {
    let ctx: Ctx;
    let listed: Space;
    let secret: Space;
    let c: Record<P, Client>;

    beforeAll(async () => {
      ctx = driver === "local" ? await localApp() : await s3App();
      ({ listed, secret } = ctx.w.spaces);
      c = ctx.w.c;
    }, 120_000);
    afterAll(async () => {
      await ctx?.close();
    }, 60_000);

    async function upload(space: Space, filename: string, bytes: Uint8Array, metadata: Record<string, string> = {}): Promise<string> {
      return (await ctx.w.tus.member.upload(space.slug, Buffer.from(bytes), { filename, ...metadata })).fileId;
    }

    const pendingCount = async () =>
      Number((await ctx.db.selectFrom("file_text").select((eb) => eb.fn.countAll<number>().as("n")).where("state", "=", "pending").executeTakeFirstOrThrow()).n);

    /**
     * extractPending until no version waits, whoever claims them (the
     * server's own job may hold some): every call's duration and answer.
     */
    async function drain(limitMs = 150_000) {
      const began = performance.now();
      const calls: number[] = [];
      const results: Array<{ versionId: string; state: string; reason: string | null }> = [];
      for (;;) {
        const t = performance.now();
        results.push(...(await extractPending(ctx.db, ctx.storage)));
        calls.push(performance.now() - t);
        if ((await pendingCount()) === 0) break;
        if (performance.now() - began > limitMs) {
          const rows = await ctx.db.selectFrom("file_text").selectAll().where("state", "=", "pending").execute();
          throw new Error(`still pending after ${limitMs} ms: ${JSON.stringify(rows.map(({ text: _, ...r }) => r))}`);
        }
        await sleep(100);
      }
      return { ms: performance.now() - began, calls, results };
    }

    /** The row of the file's current version. */
    async function textOf(fileId: string) {
      return ctx.db
        .selectFrom("file_text")
        .innerJoin("file", "file.id", "file_text.file_id")
        .innerJoin("file_version", (j) => j.onRef("file_version.id", "=", "file_text.version_id").onRef("file_version.number", "=", "file.version"))
        .selectAll("file_text")
        .where("file_text.file_id", "=", fileId)
        .executeTakeFirstOrThrow();
    }

    const fileSearch = (who: P, q: string, space?: Space) => search(c[who], q, { type: "file", ...(space ? { club: space.slug } : {}) });
    const keysFor = async (who: P, q: string, space?: Space) => (await fileSearch(who, q, space)).results.map((r) => r.key);

    describe("every kind of document, found by the words inside it", () => {
      const ids: Record<string, string> = {};
      let secretId: string;
      let drained: Awaited<ReturnType<typeof drain>>;

      beforeAll(async () => {
        for (const d of DOCUMENTS) ids[d.kind] = await upload(listed, d.filename, d.make(d.phrase));
        secretId = await upload(secret, "ordre-du-jour-confidentiel.docx", makeDocx(["Ordre du jour", "Le rachat du moulin ardéchois abandonné."]));
        drained = await drain();
      }, 180_000);

      test.each(DOCUMENTS.map((d) => [d.kind, d] as const))("%s: extracted whole, found by its phrase in quotes, the phrase's words marked in the snippet", async (_, d) => {
        const row = await textOf(ids[d.kind]);
        expect(row, d.kind).toMatchObject({ state: "done", reason: null, attempts: 1, truncated: 0, claimed_by: null, claimed_until: null });
        expect(row.text).toContain(d.phrase);

        const view = await fileSearch("member", `"${d.phrase}"`, listed);
        expect(view.results.map((r) => r.key), describeResults(view).join("\n")).toEqual([`file:${ids[d.kind]}`]);
        const [result] = view.results;
        expect(result.url).toBe(`/spaces/${listed.slug}/files/${ids[d.kind]}`);
        expect(result.title.map((p) => p.text).join("")).toBe(d.filename);
        expect(result.snippet.filter((p) => p.mark).map((p) => p.text)).toEqual(words(d.phrase));
        expect(result.snippet.map((p) => p.text).join("")).toContain(d.phrase);

        // The page itself, as a browser gets it: the words in <mark>.
        const html = await c.member.get(`/search?${new URLSearchParams({ q: `"${d.phrase}"`, type: "file", club: listed.slug })}`);
        expect(html.status).toBe(200);
        for (const word of words(d.phrase)) expect(html.text).toContain(`<mark>${word}</mark>`);
        // Unquoted and without the filters, it is found as well.
        expect(await keysFor("member", d.phrase)).toContain(`file:${ids[d.kind]}`);
      });

      test("an outsider finds none of it: not in the listed club, with or without its filter, nor in the secret one", async () => {
        for (const d of DOCUMENTS) {
          expect(await keysFor("outsider", `"${d.phrase}"`, listed), d.kind).toEqual([]);
          expect(await keysFor("outsider", `"${d.phrase}"`), d.kind).toEqual([]);
          expect((await search(c.outsider, d.phrase)).results, d.kind).toEqual([]);
        }
        // The secret club's file: its member finds it, the outsider does not, whether they name the club or not.
        expect(await keysFor("member", '"moulin ardéchois abandonné"', secret)).toEqual([`file:${secretId}`]);
        expect(await keysFor("outsider", '"moulin ardéchois abandonné"', secret)).toEqual([]);
        expect(await keysFor("outsider", '"moulin ardéchois abandonné"')).toEqual([]);
        expect(await keysFor("outsider", "moulin ardéchois")).toEqual([]);
      });

      test("each version was extracted once: no version twice among the answers, and timings reported", async () => {
        const mine = drained.results.map((r) => r.versionId);
        expect(new Set(mine).size).toBe(mine.length);
        for (const r of drained.results) expect(r).toMatchObject({ state: "done", reason: null });
        console.log(`[${driver}] 7 documents: drained in ${Math.round(drained.ms)} ms, ${drained.calls.length} calls (${drained.calls.map((t) => Math.round(t)).join(", ")} ms), ${drained.results.length} extracted here, the rest by the server's job`);
      });
    });

    describe("versions and the trash", () => {
      test("a new version replaces the old text: the old phrase is no longer found, the new one is, on the same file", async () => {
        const name = "tarifs-fournisseurs.docx";
        const fileId = await upload(listed, name, makeDocx(["Tarifs", "Première grille pour la papeterie auvergnate."]));
        await drain();
        expect(await keysFor("member", '"papeterie auvergnate"', listed)).toEqual([`file:${fileId}`]);

        const again = await upload(listed, name, makeDocx(["Tarifs", "Nouvelle grille pour la verrerie alsacienne."]), { onConflict: "version" });
        expect(again).toBe(fileId);
        // Before its text is read: what does the search say of the old one? (Reported, not asserted: see below.)
        const between = await keysFor("member", '"papeterie auvergnate"', listed);
        await drain();
        expect((await textOf(fileId)).text).toContain("verrerie alsacienne");
        expect(await keysFor("member", '"papeterie auvergnate"', listed)).toEqual([]);
        expect(await keysFor("member", "papeterie", listed)).toEqual([]);
        expect(await keysFor("member", '"verrerie alsacienne"', listed)).toEqual([`file:${fileId}`]);
        // The old version's row was not extracted again, nor left pending.
        const rows = await ctx.db.selectFrom("file_text").selectAll().where("file_id", "=", fileId).execute();
        expect(rows).toHaveLength(2);
        expect(rows.every((r) => r.state !== "pending")).toBe(true);
        console.log(`[${driver}] old phrase between the new version's upload and its extraction: ${between.length ? "still found" : "gone"}`);
      });

      test("a file in the trash is found by nothing (text or name); restored, it is found again", async () => {
        const name = "inventaire-cave.odt";
        const fileId = await upload(listed, name, makeOdt(["Inventaire", "Les millésimes du vignoble savoyard."]));
        await drain();
        expect(await keysFor("member", '"vignoble savoyard"', listed)).toEqual([`file:${fileId}`]);
        expect(await keysFor("member", "inventaire cave", listed)).toEqual([`file:${fileId}`]);

        const trashed = await c.member.post(`/spaces/${listed.slug}/files`, { intent: "trash-file", id: fileId });
        expect(trashed.status, trashed.text.slice(0, 300)).toBe(302);
        expect(await keysFor("member", '"vignoble savoyard"', listed)).toEqual([]);
        expect(await keysFor("member", '"vignoble savoyard"')).toEqual([]);
        expect(await keysFor("admin", "inventaire cave")).toEqual([]);

        const restored = await c.admin.post(`/spaces/${listed.slug}/files/trash`, { intent: "restore", kind: "file", id: fileId });
        expect(restored.status, restored.text.slice(0, 300)).toBe(302);
        expect(await keysFor("member", '"vignoble savoyard"', listed)).toEqual([`file:${fileId}`]);
        const view = await fileSearch("member", '"vignoble savoyard"', listed);
        expect(view.results[0].snippet.filter((p) => p.mark).map((p) => p.text)).toEqual(["vignoble", "savoyard"]);
      });
    });

    describe("hostile documents", () => {
      test(
        "a zip-bomb DOCX and an endless PDF: given up within a bound, with their reasons; their names are still found; the server answers and takes uploads meanwhile",
        async () => {
          const bomb = await upload(listed, "Dossier Hydrocarbure.docx", makeZipBombDocx());
          // 512 MB of text operators (a 1 MB file). Within the production limits (THREAD_LIMITS) the helper's
          // default 64 MB is read to its end in about 9 s, and 256 MB in about 27 s, both "done" with a
          // million characters of their one word: only past that is the thread stopped.
          const endless = await upload(listed, "Catalogue Interminable.pdf", makeEndlessPdf(512));
          const bombVersion = (await textOf(bomb)).version_id;
          const endlessVersion = (await textOf(endless)).version_id;

          const extraction = drain(2 * THREAD_LIMITS.timeMs + 60_000);
          // Once the endless PDF is being read (here or by the server's job), the server is asked for a page and takes an upload.
          await waitFor(async () => (await textOf(endless)).claimed_by !== null || (await textOf(endless)).state !== "pending", "the endless PDF to be claimed", 30_000);
          const t0 = performance.now();
          const page = await c.member.get(`/spaces/${listed.slug}/files`);
          const pageMs = performance.now() - t0;
          expect(page.status).toBe(200);
          const t1 = performance.now();
          const meanwhile = await upload(listed, "pendant-extraction.md", new TextEncoder().encode("Écrit pendant que le serveur lit un PDF sans fin: orangeraie provençale.\n"));
          const uploadMs = performance.now() - t1;
          const stillReading = (await textOf(endless)).state === "pending";
          const t2 = performance.now();
          const found = await search(c.member, "Interminable", { type: "file" });
          const searchMs = performance.now() - t2;
          expect(found.results.map((r) => r.key)).toContain(`file:${endless}`);

          const { ms, calls } = await extraction;
          console.log(
            `[${driver}] hostile: drained in ${Math.round(ms)} ms (calls ${calls.map((t) => Math.round(t)).join(", ")} ms); meanwhile page ${Math.round(pageMs)} ms, upload ${Math.round(uploadMs)} ms, search ${Math.round(searchMs)} ms; PDF still being read then: ${stillReading}`,
          );
          // Each call is bounded by the thread's time limit (one hostile file at most per call is slow), with a margin for a loaded machine.
          for (const t of calls) expect(t).toBeLessThan(THREAD_LIMITS.timeMs + 15_000);
          expect(ms).toBeLessThan(2 * THREAD_LIMITS.timeMs + 30_000);
          // The server was not held up by the extraction.
          expect(pageMs).toBeLessThan(5_000);
          expect(uploadMs).toBeLessThan(5_000);

          const bombRow = await ctx.db.selectFrom("file_text").selectAll().where("version_id", "=", bombVersion).executeTakeFirstOrThrow();
          const endlessRow = await ctx.db.selectFrom("file_text").selectAll().where("version_id", "=", endlessVersion).executeTakeFirstOrThrow();
          expect(bombRow).toMatchObject({ state: "failed", reason: "too_large", text: "", attempts: 1 });
          expect(endlessRow).toMatchObject({ state: "failed", text: "", attempts: 1 });
          expect(["timeout", "memory", "malformed"]).toContain(endlessRow.reason);
          console.log(`[${driver}] endless PDF given up as ${endlessRow.reason} after ${endlessRow.finished_at! - endlessRow.created_at} ms from its upload`);

          // Given up, not lost: their names are found, as is the file uploaded meanwhile, text and all.
          expect(await keysFor("member", "hydrocarbure", listed)).toEqual([`file:${bomb}`]);
          expect(await keysFor("member", "interminable", listed)).toEqual([`file:${endless}`]);
          expect(await keysFor("member", '"orangeraie provençale"', listed)).toEqual([`file:${meanwhile}`]);
          // And nobody tries them again.
          expect(await extractPending(ctx.db, ctx.storage)).toEqual([]);
        },
        240_000,
      );
    });

    describe("claims", () => {
      test("concurrent extractPending calls: each version is extracted once, with the right text", async () => {
        const phrases = ["ébénisterie jurassienne", "coutellerie thiernoise", "faïencerie quimpéroise", "savonnerie marseillaise", "lunetterie morézienne", "porcelaine limougeaude"];
        const made = new Map<string, string>();
        for (const [i, phrase] of phrases.entries()) made.set(await upload(listed, `atelier-${i + 1}.docx`, makeDocx(["Atelier", `Visite de la ${phrase}.`])), phrase);
        // Three runs at once here (and the server's own job, maybe): each claims its versions in one UPDATE.
        const runs = await Promise.all([0, 1, 2].map(() => extractPending(ctx.db, ctx.storage)));
        const taken = runs.flat().map((r) => r.versionId);
        expect(new Set(taken).size, JSON.stringify(runs)).toBe(taken.length);
        await drain();
        for (const [fileId, phrase] of made) {
          const row = await textOf(fileId);
          expect(row, phrase).toMatchObject({ state: "done", attempts: 1, reason: null });
          expect(row.text).toBe(`Atelier\nVisite de la ${phrase}.`);
          expect(await keysFor("member", `"${phrase}"`, listed), phrase).toEqual([`file:${fileId}`]);
        }
        console.log(`[${driver}] concurrent runs took ${runs.map((r) => r.length).join(" + ")} of ${phrases.length} versions`);
      });

      test("a live claim is left alone; once it runs out (its process died) the version is taken again and extracted", async () => {
        const fileId = await upload(listed, "charte-qualite.docx", makeDocx(["Charte", "La fromagerie comtoise labellisée."]));
        const { version_id } = await textOf(fileId);
        const claim = (claimedUntil: number) =>
          ctx.db
            .updateTable("file_text")
            .set({ state: "pending", text: "", reason: null, finished_at: null, attempts: 1, claimed_by: "mort:4242:deadbeef", claimed_until: claimedUntil })
            .where("version_id", "=", version_id)
            .execute();

        // Claimed by another process that still lives: not taken.
        await claim(Date.now() + 60_000);
        const now = Date.now();
        expect((await extractPending(ctx.db, ctx.storage, now)).map((r) => r.versionId)).not.toContain(version_id);
        expect(await textOf(fileId)).toMatchObject({ state: "pending", attempts: 1, claimed_by: "mort:4242:deadbeef" });

        // Its claim ran out: taken again (attempt 2), extracted, found.
        await claim(Date.now() - 1_000);
        await drain();
        const row = await textOf(fileId);
        expect(row).toMatchObject({ state: "done", attempts: 2, reason: null, claimed_by: null, claimed_until: null });
        expect(row.text).toContain("fromagerie comtoise labellisée");
        expect(await keysFor("member", '"fromagerie comtoise labellisée"', listed)).toEqual([`file:${fileId}`]);
      });

      test("a store that cannot be read: the try is not counted and the version waits a minute; an object gone is failed at once", async () => {
        const waiting = await upload(listed, "panne-stockage.docx", makeDocx(["Panne", "La santonnerie provençale réputée."]));
        const gone = await upload(listed, "quincaillerie-basque.docx", makeDocx(["Perdu", "La vannerie auvergnate disparue."]));
        await drain();
        const reset = (fileId: string) =>
          ctx.db.updateTable("file_text").set({ state: "pending", text: "", reason: null, finished_at: null, attempts: 0, claimed_by: null, claimed_until: null }).where("file_id", "=", fileId).execute();

        // Taken by a run whose store is down (again if the server's own job took it first).
        for (let tries = 0; ; tries++) {
          expect(tries, "the run with the store down never left the version pending, its try uncounted, for a minute").toBeLessThan(5);
          await reset(waiting);
          const before = Date.now();
          expect(await extractPending(ctx.db, ctx.down)).toEqual([]);
          const row = await textOf(waiting);
          if (row.state === "pending" && row.attempts === 0 && (row.claimed_until ?? 0) >= before + 55_000) break;
        }
        // Before its minute, nobody takes it; after, the store answers and it is extracted, on its first counted try.
        expect((await extractPending(ctx.db, ctx.storage)).map((r) => r.versionId)).toEqual([]);
        expect(await extractPending(ctx.db, ctx.storage, Date.now() + 61_000)).toMatchObject([{ state: "done", reason: null }]);
        expect(await textOf(waiting)).toMatchObject({ state: "done", attempts: 1 });
        expect(await keysFor("member", '"santonnerie provençale réputée"', listed)).toEqual([`file:${waiting}`]);

        // Its object deleted from the store: failed as missing, not tried again, its name still found.
        const { storage_key } = await ctx.db
          .selectFrom("file_version")
          .innerJoin("file", (j) => j.onRef("file.id", "=", "file_version.file_id").onRef("file.version", "=", "file_version.number"))
          .select("file_version.storage_key")
          .where("file.id", "=", gone)
          .executeTakeFirstOrThrow();
        await ctx.storage.delete(storage_key);
        for (let tries = 0; ; tries++) {
          expect(tries).toBeLessThan(5);
          await reset(gone);
          const answered = await extractPending(ctx.db, ctx.storage);
          if (answered.length === 0) continue; // the server's job took it first
          expect(answered).toMatchObject([{ state: "failed", reason: "missing" }]);
          break;
        }
        expect(await textOf(gone)).toMatchObject({ state: "failed", reason: "missing", attempts: 1 });
        expect(await keysFor("member", "quincaillerie basque", listed)).toEqual([`file:${gone}`]);
        expect(await keysFor("member", '"vannerie auvergnate"', listed)).toEqual([]);
      });

      test("the third try is still made; after three tries that never ended, the version is given up (failed, attempts) and its name still found", async () => {
        const second = await upload(listed, "troisieme-essai.docx", makeDocx(["Essai", "La distillerie cognaçaise familiale."]));
        const third = await upload(listed, "abandon-definitif.docx", makeDocx(["Essai", "La briqueterie toulousaine oubliée."]));
        const dead = (fileId: string, attempts: number) =>
          ctx.db
            .updateTable("file_text")
            .set({ state: "pending", text: "", reason: null, finished_at: null, attempts, claimed_by: "mort:4242:deadbeef", claimed_until: Date.now() - 1_000 })
            .where("file_id", "=", fileId)
            .execute();
        await dead(second, 2);
        await dead(third, 3);
        await drain();

        expect(await textOf(second)).toMatchObject({ state: "done", attempts: 3, reason: null });
        expect(await keysFor("member", '"distillerie cognaçaise familiale"', listed)).toEqual([`file:${second}`]);

        const given = await textOf(third);
        expect(given).toMatchObject({ state: "failed", reason: "attempts", attempts: 3, text: "", claimed_by: null, claimed_until: null });
        expect(given.finished_at).not.toBeNull();
        expect(await keysFor("member", '"briqueterie toulousaine oubliée"', listed)).toEqual([]);
        expect(await keysFor("member", "abandon definitif", listed)).toEqual([`file:${third}`]);
        // Given up for good: no later run takes it.
        expect(await extractPending(ctx.db, ctx.storage, Date.now() + 60 * 60_000)).toEqual([]);
        expect(await textOf(third)).toMatchObject({ state: "failed", attempts: 3 });
      });
    });
  });
}
