import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as pages from "#db/queries/pages.ts";
import * as posts from "#db/queries/posts.ts";
import type { Page, Post, Space } from "#db/schema.ts";
import { jobsRun, nextJobTaken, stopContentWorkers } from "#app/editor/content-pool.server.ts";
import { action as editPost } from "#app/routes/spaces.$space.blog.$post_.edit.tsx";
import { action as autosavePost } from "#app/routes/spaces.$space.blog.$post_.autosave.ts";
import { action as newPost } from "#app/routes/spaces.$space.blog.new.tsx";
import { action as editPage } from "#app/routes/spaces.$space.wiki.$page_.edit.tsx";
import { action as newPage } from "#app/routes/spaces.$space.wiki.new.tsx";
import { startSession } from "#app/utils/auth.server.ts";
import { closeDb, getDb, migrate } from "#app/utils/db.server.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";

/**
 * The save actions of the blog and the wiki, called directly in this
 * process (no HTTP server), with a real session cookie and a real SQLite
 * file: what only a whole save shows.
 *
 * - Rich-text content is checked and derived in the worker pool
 *   (app/editor/content-pool.server.ts), up to 10 s a job, and must be so
 *   once per save, whatever the save: with a change of state, stale, or an
 *   autosave. The pool's own count of the jobs it was handed says how many
 *   times each save had its content processed.
 * - "Save and publish" is one use case: when the change of state is
 *   refused, the save made with it is undone too.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-once-"));
process.env.DATA_DIR = dataDir;
// Vitest sets BASE_URL to Vite's "/": the app needs an origin.
process.env.BASE_URL = "http://localhost";

let space: Space;
let alice: TestUser;
let editor: TestUser;
const cookies = new Map<string, string>();

beforeAll(async () => {
  await migrate();
  const db = getDb();
  await createNetwork(db);
  alice = await createUser(db, { email: "alice@once.test", displayName: "Alice Once" });
  editor = await createUser(db, { email: "editor@once.test", displayName: "Éditrice Once" });
  space = await createSpace(db, { createdBy: editor.id, slug: "club-once", name: "Club Once", visibility: "secret" });
  await addMember(db, { space, user: alice, role: "member" });
  for (const who of [alice, editor]) {
    const set = await startSession(new Request("http://localhost/login"), who.id, "127.0.0.1");
    cookies.set(who.id, set.map((c) => c.split(";")[0]).join("; "));
  }
});

afterAll(async () => {
  await stopContentWorkers();
  await closeDb();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the server gives every action (server/app.ts); these actions read neither. */
const context = { cspNonce: "", clientIp: "127.0.0.1" };

function post(who: TestUser, address: string, fields: Record<string, string>) {
  return new Request(`http://localhost${address}`, {
    method: "POST",
    headers: { Cookie: cookies.get(who.id)!, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

/** The status an action answered with: a Response (returned or thrown) or Remix's data(…, { status }). */
async function statusOf(run: () => Promise<unknown>): Promise<number> {
  let answer: unknown;
  try {
    answer = await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
  if (answer instanceof Response) return answer.status;
  const init = (answer as { init?: { status?: number } | null }).init;
  return init?.status ?? 200;
}

/** Runs the save and answers its status and the number of content jobs it handed to the pool. */
async function counted(run: () => Promise<unknown>) {
  const before = jobsRun();
  const status = await statusOf(run);
  return { status, checks: jobsRun() - before };
}

let seq = 0;
const title = (base: string) => `${base} ${++seq}`;

async function draft(content = doc(paragraph("Premier jet."))): Promise<Post> {
  const name = title("Article");
  const res = await newPost({
    request: post(alice, `/spaces/${space.slug}/blog/new`, { title: name, content, excerpt: "", coverFileId: "", tags: "", visibility: "space" }),
    params: { space: space.slug },
    context,
  });
  expect((res as Response).status).toBe(302);
  const row = (await getDb().selectFrom("post").selectAll().where("title", "=", name).executeTakeFirst()) as Post | undefined;
  expect(row).toBeDefined();
  return row!;
}

function editForm(p: Post, changes: Record<string, string> = {}): Record<string, string> {
  return {
    postId: p.id,
    baseRevision: String(p.revision),
    title: p.title,
    content: p.content_json,
    excerpt: "",
    coverFileId: "",
    tags: "",
    visibility: p.visibility,
    summary: "",
    ...changes,
  };
}

const edit = (who: TestUser, p: Post, fields: Record<string, string>) => () =>
  editPost({ request: post(who, `/spaces/${space.slug}/blog/${p.slug}/edit`, fields), params: { space: space.slug, post: p.slug }, context });

const row = (p: Post) => posts.findPostInSpace(getDb(), space.id, p.id) as Promise<Post>;

describe("a blog save processes its content once", () => {
  test("creating a draft", async () => {
    const before = jobsRun();
    await draft();
    expect(jobsRun() - before).toBe(1);
  });

  test("a save by hand", async () => {
    const p = await draft();
    const saved = await counted(edit(alice, p, editForm(p, { content: doc(paragraph("Deuxième jet.")) })));
    expect(saved).toEqual({ status: 302, checks: 1 });
    expect((await row(p)).content_text).toBe("Deuxième jet.");
  });

  test("an autosave", async () => {
    const p = await draft();
    const saved = await counted(() =>
      autosavePost({
        request: post(alice, `/spaces/${space.slug}/blog/${p.slug}/autosave`, editForm(p, { content: doc(paragraph("En cours de frappe.")) })),
        params: { space: space.slug, post: p.slug },
        context,
      }),
    );
    expect(saved).toEqual({ status: 200, checks: 1 });
    expect((await row(p)).content_text).toBe("En cours de frappe.");
  });

  test("save and publish, with changed content", async () => {
    const p = await draft();
    const published = await counted(edit(alice, p, editForm(p, { intent: "publish", content: doc(paragraph("Version finale.")) })));
    expect(published).toEqual({ status: 302, checks: 1 });
    const after = await row(p);
    expect(after.state).toBe("published");
    expect(after.content_text).toBe("Version finale.");
  });

  test("publish with nothing changed in the form: no check at all", async () => {
    const p = await draft();
    const published = await counted(edit(alice, p, editForm(p, { intent: "publish" })));
    expect(published).toEqual({ status: 302, checks: 0 });
    expect((await row(p)).state).toBe("published");
  });

  test("a stale save: refused with both versions, content processed once", async () => {
    const p = await draft(doc(paragraph("Texte commun.")));
    expect((await counted(edit(editor, p, editForm(p, { content: doc(paragraph("Texte commun, version de l’éditrice.")) })))).status).toBe(302);
    const stale = await counted(edit(alice, p, editForm(p, { content: doc(paragraph("Texte commun, version d’Alice.")) })));
    expect(stale).toEqual({ status: 409, checks: 1 });
    expect((await row(p)).content_text).toBe("Texte commun, version de l’éditrice.");
  });

  test("a stale save and publish: refused with both versions, content processed once", async () => {
    const p = await draft(doc(paragraph("Texte commun.")));
    expect((await counted(edit(editor, p, editForm(p, { content: doc(paragraph("Texte commun, version de l’éditrice.")) })))).status).toBe(302);
    const stale = await counted(edit(alice, p, editForm(p, { intent: "publish", content: doc(paragraph("Texte commun, version d’Alice.")) })));
    expect(stale).toEqual({ status: 409, checks: 1 });
    const after = await row(p);
    expect(after.state).toBe("draft");
    expect(after.content_text).toBe("Texte commun, version de l’éditrice.");
  });
});

describe("a wiki save processes its content once", () => {
  async function page(): Promise<Page> {
    const name = title("Page");
    const res = await counted(() =>
      newPage({ request: post(alice, `/spaces/${space.slug}/wiki/new`, { title: name, content: doc(paragraph("Début.")), summary: "" }), params: { space: space.slug }, context }),
    );
    expect(res).toEqual({ status: 302, checks: 1 });
    return (await getDb().selectFrom("page").selectAll().where("title", "=", name).executeTakeFirstOrThrow()) as Page;
  }
  const editAs = (who: TestUser, p: Page, fields: Record<string, string>) => () =>
    editPage({
      request: post(who, `/spaces/${space.slug}/wiki/${p.slug}/edit`, { pageId: p.id, baseRevision: String(p.revision), title: p.title, summary: "", ...fields }),
      params: { space: space.slug, page: p.slug },
      context,
    });

  test("a save, and a stale one refused with both versions", async () => {
    const p = await page();
    expect(await counted(editAs(editor, p, { content: doc(paragraph("Suite de l’éditrice.")) }))).toEqual({ status: 302, checks: 1 });
    expect(await counted(editAs(alice, p, { content: doc(paragraph("Suite d’Alice.")) }))).toEqual({ status: 409, checks: 1 });
    expect((await pages.findInSpace(getDb(), space.id, p.id))?.content_text).toBe("Suite de l’éditrice.");
  });
});

describe("save and publish is one use case", () => {
  test("an article published by someone else while its writer's save-and-publish was under way: refused, and the writer's save undone", async () => {
    const p = await draft(doc(...Array.from({ length: 200 }, (_, i) => paragraph(`Paragraphe ${i} du premier jet.`))));
    const revisions = async () => (await getDb().selectFrom("post_revision").select("number").where("post_id", "=", p.id).execute()).length;
    const revisionsBefore = await revisions();
    const taken = nextJobTaken();
    const answer = statusOf(edit(alice, p, editForm(p, { intent: "publish", title: `${p.title} (finale)`, content: doc(paragraph("Version finale.")) })));
    // The action has loaded the draft, passed its checks and handed the content to the pool: the editor publishes now,
    // before the thread's answer can arrive (polling with setImmediate let a fast answer slip in first under load).
    await taken;
    await getDb().updateTable("post").set({ state: "published", published_at: Date.now(), updated_by: editor.id }).where("id", "=", p.id).execute();
    expect(await answer).toBe(409);
    const after = await row(p);
    expect(after.title).toBe(p.title);
    expect(after.content_json).toBe(p.content_json);
    expect(after.revision).toBe(p.revision);
    expect(after.updated_by).toBe(editor.id);
    expect(await revisions()).toBe(revisionsBefore);
    const announced = await getDb().selectFrom("activity").select("id").where("verb", "=", "post_published").where("data", "like", `%${p.slug}%`).execute();
    expect(announced).toEqual([]);
  });
});
