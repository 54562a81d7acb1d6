import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { DB } from "#db/client.ts";
import { digestsOf, setDigestFrequency } from "#db/queries/digests.ts";
import * as files from "#db/queries/files.ts";
import * as members from "#db/queries/members.ts";
import { saveChoices, saveLevel } from "#db/queries/notification-choices.ts";
import * as pages from "#db/queries/pages.ts";
import * as posts from "#db/queries/posts.ts";
import { findById, recordHomeVisit } from "#db/queries/users.ts";
import * as workshops from "#db/queries/workshops.ts";
import type { Post, Space, User } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { queueDigest, sendDueDigests } from "#app/digests/commands.server.ts";
import { digestContent, type DigestContent } from "#app/digests/content.server.ts";
import { digestMail } from "#app/digests/mail.ts";
import { lastSendingMoment } from "#app/digests/schedule.ts";
import { markRead, notify } from "#app/notifications/commands.server.ts";
import { slugify } from "#app/utils/validation.ts";
import { addMember, createNetwork, createSpace, createUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { textDoc } from "#tests/helpers/lexical.ts";

/**
 * Mail digests (issue 18), at the database level:
 *
 * - when: at 8:00 on each member's own clock (Paris and New York daily, Tokyo
 *   weekly), across the US (14 March 2027) and EU (28 March 2027) changes of
 *   clocks; one minute before nothing, at 8:00 exactly one digest for the
 *   local day; a weekly member nothing mid-week; a second sweep nothing more;
 *   a moment more than 12 h past let go; a late digest does not cost the next
 *   morning's; "off" never;
 * - what: the news of the member's clubs not yet seen on the home, without
 *   what reached them by mail, nor their own, nor what they may not read (a
 *   secret club's article, even for a network admin outside it), within the
 *   window; the notifications they take "in the digest", while unread;
 *   rights read at the moment of composing;
 * - no empty mail: a member with nothing new gets a digest row of 0 items
 *   and no mail; one with news exactly one outbox row pointing at it.
 *
 * Every expected instant is written out in UTC by hand. Offsets: Paris CET
 * UTC+1 until 28 March 2027 01:00Z, CEST UTC+2 after; New York EST UTC−5
 * until 14 March 2027 07:00Z, EDT UTC−4 after; Tokyo UTC+9 all year.
 * Weekdays, from 1 January 2027 a Friday: 1 March is 59 days later (8 weeks
 * and 3 days), a Monday; so 13 and 27 March are Saturdays, 14 and 28 March
 * Sundays, 15, 22 and 29 March Mondays. 1 April is 90 days after 1 January
 * (12 weeks and 6 days), a Thursday: 5 April a Monday, 6 April a Tuesday.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------
// When: at 8:00 on each member's clock
// ---------------------------------------------------------------------------

describe("at 8:00 in each member's zone, across changes of clocks", () => {
  // The tests of this block run in order, on one timeline: each starts where the previous ended.
  let database: Awaited<ReturnType<typeof tempDatabase>>;
  let db: DB;
  let people: Record<"paris" | "newYork" | "tokyo" | "off", User>;
  const nameOf = new Map<string, string>();

  beforeAll(async () => {
    database = await tempDatabase();
    db = database.db;
    await migrateToLatest(db);
    await createNetwork(db);
    people = {
      paris: await createUser(db, { displayName: "Paula Paris" }),
      newYork: await createUser(db, { displayName: "Nate New York", locale: "en" }),
      tokyo: await createUser(db, { displayName: "Taro Tokyo", locale: "en" }),
      off: await createUser(db, { displayName: "Otto Sans Récap" }),
    };
    const zones = { paris: "Europe/Paris", newYork: "America/New_York", tokyo: "Asia/Tokyo", off: "Europe/Paris" };
    const frequencies = { paris: "daily", newYork: "daily", tokyo: "weekly", off: "off" } as const;
    for (const [key, user] of Object.entries(people) as Array<[keyof typeof people, User]>) {
      nameOf.set(user.id, key);
      await db.updateTable("user").set({ time_zone: zones[key] }).where("id", "=", user.id).execute();
      await setDigestFrequency(db, user.id, frequencies[key]);
    }
  });

  afterAll(async () => {
    await database?.remove();
  });

  /** One sweep at `at`: what it counted, and the digests it added, as "who period". */
  async function sweep(at: string) {
    const before = new Set((await db.selectFrom("digest").select("id").execute()).map((r) => r.id));
    const counts = await sendDueDigests(db, utc(at));
    const rows = await db.selectFrom("digest").selectAll().execute();
    const added = rows
      .filter((r) => !before.has(r.id))
      .map((r) => `${nameOf.get(r.user_id)} ${r.period}`)
      .sort();
    return { counts, added };
  }

  /** Sweeps every hour from `from` to `to` included; every digest added, as "who period at". */
  async function hourly(from: string, to: string) {
    const before = new Set((await db.selectFrom("digest").select("id").execute()).map((r) => r.id));
    for (let t = utc(from); t <= utc(to); t += HOUR) await sendDueDigests(db, t);
    const rows = await db.selectFrom("digest").selectAll().execute();
    return rows
      .filter((r) => !before.has(r.id))
      .map((r) => `${nameOf.get(r.user_id)} ${r.period} ${iso(r.until)}`)
      .sort();
  }

  const none = { queued: 0, empty: 0, taken: 0 };
  /** These members have no club: every digest is an empty one. */
  const empties = (n: number) => ({ queued: 0, empty: n, taken: 0 });

  test("Saturday 13 March (EST, CET): the first 8:00 of each, one minute before nothing, at 8:00 one digest; again at once, nothing", async () => {
    // 06:59Z: 07:59 in Paris. The last 8:00s are Friday's (Paris 07:00Z, 24 h less a minute ago; New York
    // 13:00Z, 18 h ago) and Monday 8 March's in Tokyo (7 March 23:00Z): all more than 12 h back, let go.
    expect(await sweep("2027-03-13T06:59:00Z")).toEqual({ counts: none, added: [] });
    // 07:00Z: 08:00 CET.
    expect(await sweep("2027-03-13T07:00:00Z")).toEqual({ counts: empties(1), added: ["paris 2027-03-13"] });
    // The same instant again, and a minute later: Paris is done for the day.
    expect(await sweep("2027-03-13T07:00:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-13T07:01:00Z")).toEqual({ counts: none, added: [] });
    // New York: 08:00 EST is 13:00Z.
    expect(await sweep("2027-03-13T12:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-13T13:00:00Z")).toEqual({ counts: empties(1), added: ["newYork 2027-03-13"] });
    expect(await sweep("2027-03-13T13:00:00Z")).toEqual({ counts: none, added: [] });

    // The first digest looks back one period: Paris's window is the 24 hours before its 8:00.
    const [first] = await digestsOf(db, people.paris.id);
    expect(first).toMatchObject({ period: "2027-03-13", frequency: "daily", since: utc("2027-03-12T07:00:00Z"), until: utc("2027-03-13T07:00:00Z"), items: 0, created_at: utc("2027-03-13T07:00:00Z") });
    expect((await findById(db, people.paris.id))!.digest_until).toBe(utc("2027-03-13T07:00:00Z"));
  });

  test("the claim: queueing Paris's 13 March period again, past the sweep's filter, is 'taken' and changes nothing", async () => {
    const now = utc("2027-03-13T07:30:00Z");
    const member = await db.selectFrom("user").selectAll().where("id", "=", people.paris.id).executeTakeFirstOrThrow();
    const due = { at: utc("2027-03-13T07:00:00Z"), period: "2027-03-13" };
    const result = await transact(db, (trx) => queueDigest(trx, member, due, now));
    expect(result).toEqual({ ok: true, outcome: "taken", mailIds: [] });
    expect((await digestsOf(db, people.paris.id)).map((d) => d.period)).toEqual(["2027-03-13"]);
    expect((await findById(db, people.paris.id))!.digest_until).toBe(utc("2027-03-13T07:00:00Z"));
  });

  test("Sunday 14 March, the US change: Paris at 07:00Z (CET), New York at 12:00Z (08:00 EDT, no longer 13:00Z)", async () => {
    expect(await sweep("2027-03-14T06:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-14T07:00:00Z")).toEqual({ counts: empties(1), added: ["paris 2027-03-14"] });
    // 11:59Z is 07:59 EDT.
    expect(await sweep("2027-03-14T11:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-14T12:00:00Z")).toEqual({ counts: empties(1), added: ["newYork 2027-03-14"] });
    expect(await sweep("2027-03-14T12:00:00Z")).toEqual({ counts: none, added: [] });
  });

  test("Tokyo, weekly: Monday 15 March 08:00 JST is Sunday 14 March 23:00Z", async () => {
    expect(await sweep("2027-03-14T22:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-14T23:00:00Z")).toEqual({ counts: empties(1), added: ["tokyo 2027-03-15"] });
    expect(await sweep("2027-03-14T23:00:00Z")).toEqual({ counts: none, added: [] });
    const [first] = await digestsOf(db, people.tokyo.id);
    // A weekly first digest looks back a week.
    expect(first).toMatchObject({ period: "2027-03-15", frequency: "weekly", since: utc("2027-03-07T23:00:00Z"), until: utc("2027-03-14T23:00:00Z") });
  });

  test("a week swept every hour: the daily members get one a day at their 8:00, the weekly member nothing mid-week", async () => {
    const added = await hourly("2027-03-15T00:00:00Z", "2027-03-21T22:00:00Z");
    const expected: string[] = [];
    for (let d = 15; d <= 21; d++) {
      // Paris still CET (08:00 = 07:00Z); New York EDT (08:00 = 12:00Z).
      expected.push(`paris 2027-03-${d} 2027-03-${d}T07:00:00.000Z`, `newYork 2027-03-${d} 2027-03-${d}T12:00:00.000Z`);
    }
    expect(added).toEqual(expected.sort());
  });

  test("down over Tokyo's Monday until 13:00Z: Paris's 8:00 (6 h late) and New York's (1 h late) go, Tokyo's (14 h late) is let go", async () => {
    // Nothing swept from 21 March 22:00Z until 22 March 13:00Z.
    expect(await sweep("2027-03-22T13:00:00Z")).toEqual({ counts: empties(2), added: ["newYork 2027-03-22", "paris 2027-03-22"] });
    // Tokyo waits for next Monday: nothing on its Tuesday to Sunday mornings, whatever the hour.
    expect(await sweep("2027-03-22T23:00:00Z")).toEqual({ counts: none, added: [] });
  });

  test("the late digest does not cost the next morning's: Paris gets 23 March at 07:00Z", async () => {
    expect(await sweep("2027-03-23T06:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-23T07:00:00Z")).toEqual({ counts: empties(1), added: ["paris 2027-03-23"] });
    const [late, next] = (await digestsOf(db, people.paris.id)).filter((d) => d.period >= "2027-03-22");
    expect(late).toMatchObject({ period: "2027-03-22", since: utc("2027-03-21T07:00:00Z"), until: utc("2027-03-22T13:00:00Z") });
    // The next one starts where the late one ended: nothing told twice, nothing missed.
    expect(next).toMatchObject({ period: "2027-03-23", since: utc("2027-03-22T13:00:00Z"), until: utc("2027-03-23T07:00:00Z") });
  });

  test("the rest of the week, hourly: daily digests as before, Tokyo nothing", async () => {
    const added = await hourly("2027-03-23T08:00:00Z", "2027-03-26T23:00:00Z");
    expect(added).toEqual(
      [
        "newYork 2027-03-23 2027-03-23T12:00:00.000Z",
        "newYork 2027-03-24 2027-03-24T12:00:00.000Z",
        "newYork 2027-03-25 2027-03-25T12:00:00.000Z",
        "newYork 2027-03-26 2027-03-26T12:00:00.000Z",
        "paris 2027-03-24 2027-03-24T07:00:00.000Z",
        "paris 2027-03-25 2027-03-25T07:00:00.000Z",
        "paris 2027-03-26 2027-03-26T07:00:00.000Z",
      ].sort(),
    );
  });

  test("Saturday 27 March: down from 06:59Z to 19:00Z; Paris's 8:00 goes 12 h late, the most allowed, New York's 7 h late", async () => {
    expect(await sweep("2027-03-27T06:59:00Z")).toEqual({ counts: none, added: [] });
    // 19:00Z is 07:00Z + 12 h exactly: not more than 12 h, so still sent.
    expect(await sweep("2027-03-27T19:00:00Z")).toEqual({ counts: empties(2), added: ["newYork 2027-03-27", "paris 2027-03-27"] });
  });

  test("Sunday 28 March, the EU change: Paris's 8:00 is now 06:00Z, 11 h after its late digest, and still comes; New York 12:00Z; Tokyo's Monday 29 at 23:00Z", async () => {
    expect(await sweep("2027-03-28T05:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-28T06:00:00Z")).toEqual({ counts: empties(1), added: ["paris 2027-03-28"] });
    expect(await sweep("2027-03-28T06:00:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-28T11:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-28T12:00:00Z")).toEqual({ counts: empties(1), added: ["newYork 2027-03-28"] });
    expect(await sweep("2027-03-28T22:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-28T23:00:00Z")).toEqual({ counts: empties(1), added: ["tokyo 2027-03-29"] });
    expect(await sweep("2027-03-28T23:00:00Z")).toEqual({ counts: none, added: [] });
    // Monday 29 March in Paris, CEST: 05:59Z is 07:59, 06:00Z is 08:00.
    expect(await sweep("2027-03-29T05:59:00Z")).toEqual({ counts: none, added: [] });
    expect(await sweep("2027-03-29T06:00:00Z")).toEqual({ counts: empties(1), added: ["paris 2027-03-29"] });

    // Tokyo's second digest starts where its first ended: the Monday let go is covered by it.
    expect((await digestsOf(db, people.tokyo.id)).map((d) => [d.period, iso(d.since), iso(d.until)])).toEqual([
      ["2027-03-15", "2027-03-07T23:00:00.000Z", "2027-03-14T23:00:00.000Z"],
      ["2027-03-29", "2027-03-14T23:00:00.000Z", "2027-03-28T23:00:00.000Z"],
    ]);
  });

  test("in all, one digest per local day for the daily members, one per Monday for the weekly one, each window following the last; none for the member who chose off", async () => {
    const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2027-03-${String(from + i).padStart(2, "0")}`);
    const paris = await digestsOf(db, people.paris.id);
    const newYork = await digestsOf(db, people.newYork.id);
    expect(paris.map((d) => d.period)).toEqual(days(13, 29));
    expect(newYork.map((d) => d.period)).toEqual(days(13, 28));
    for (const list of [paris, newYork]) {
      for (let i = 1; i < list.length; i++) expect(list[i]!.since, `${list[i]!.period}`).toBe(list[i - 1]!.until);
    }
    expect(await digestsOf(db, people.off.id)).toEqual([]);
    // Nor any mail: these members have no club, so nothing to tell.
    expect(await db.selectFrom("mail_outbox").select("id").execute()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// What: contents, rights, no empty mail
// ---------------------------------------------------------------------------

describe("what a digest holds", () => {
  let database: Awaited<ReturnType<typeof tempDatabase>>;
  let db: DB;
  /**
   * sara: admin of the secret Cénacle (sam its member) and member of Forum;
   * bob: admin of the listed Forum, digest off; sam, olga: Forum members, daily;
   * nina: network admin, Forum member, not in Cénacle, daily; quentin: alone in
   * his own quiet club, daily.
   */
  let people: Record<"sara" | "bob" | "sam" | "olga" | "nina" | "quentin", User>;
  let forum: Space;
  let cenacle: Space;

  // The window of a first daily digest at Tuesday 6 April 2027 08:00 CEST (06:00Z): the 24 hours before.
  const S = utc("2027-04-05T06:00:00Z");
  const U = utc("2027-04-06T06:00:00Z");

  const content = (t: string) => ({ json: textDoc(t), html: `<p>${t}</p>`, text: t });
  const HOSTILE = `Prix <script>alert("x")</script> & marges`;

  async function article(space: Space, title: string, by: User, at: number): Promise<Post> {
    const slug = await posts.uniquePostSlug(db, space.id, slugify(title));
    const post = await posts.createPost(db, { spaceId: space.id, slug, title, excerpt: "", excerptAuto: true, coverFileId: null, content: content(title), visibility: "space", authorId: by.id, summary: "", now: at });
    await posts.setPostState(db, post.id, { state: "published", userId: by.id, now: at });
    return post;
  }

  async function workshop(space: Space, title: string, by: User, at: number) {
    const startsAt = U + 3 * DAY;
    return workshops.insertWorkshop(db, {
      spaceId: space.id,
      state: "scheduled",
      fields: {
        title,
        startsAt,
        endsAt: startsAt + 2 * HOUR,
        timeZone: "Europe/Paris",
        place: "Salle du fond",
        videoUrl: null,
        outsideSpeaker: null,
        capacity: null,
        registrationClosesAt: null,
        description: content(`Déroulé de ${title}`),
        coverFileId: null,
        visibility: "space",
      },
      facilitatorIds: [],
      actorId: by.id,
      proposedBy: null,
      previousId: null,
      now: at,
    });
  }

  let items: {
    before: Post;
    atSince: Post;
    seen: Post;
    unseen: Post;
    secret: Post;
    samOwn: Post;
    samSecret: Post;
    atUntil: Post;
    after: Post;
    announced: string;
    quiet: string;
    fileId: string;
  };
  let notes: { samMention: string; olgaMention: string; olgaComment: string; ninaComment: string; saraSecretComment: string; earlyComment: string; lateComment: string };

  beforeAll(async () => {
    database = await tempDatabase();
    db = database.db;
    await migrateToLatest(db);
    await createNetwork(db);
    people = {
      sara: await createUser(db, { displayName: "Sara Gardienne" }),
      bob: await createUser(db, { displayName: "Bob Forum" }),
      sam: await createUser(db, { displayName: "Samuel Initié" }),
      olga: await createUser(db, { displayName: "Olga Dehors" }),
      nina: await createUser(db, { displayName: "Nina Réseau", isNetworkAdmin: true }),
      quentin: await createUser(db, { displayName: "Quentin Calme" }),
    };
    // Clubs and memberships are made now (December 2026), long before the window.
    cenacle = await createSpace(db, { createdBy: people.sara.id, slug: "cenacle", name: "Cénacle Secret", visibility: "secret" });
    forum = await createSpace(db, { createdBy: people.bob.id, slug: "forum", name: "Club Forum", visibility: "listed" });
    await createSpace(db, { createdBy: people.quentin.id, slug: "calme", name: "Club Calme", visibility: "listed" });
    await addMember(db, { space: cenacle, user: people.sam });
    for (const p of [people.sara, people.sam, people.olga, people.nina]) await addMember(db, { space: forum, user: p });
    for (const p of [people.sam, people.olga, people.nina, people.quentin]) await setDigestFrequency(db, p.id, "daily");
    await setDigestFrequency(db, people.bob.id, "off");
    // Olga takes mentions in the digest; Sam keeps the default (by mail).
    await saveChoices(db, people.olga.id, [{ kind: "mention", delivery: "digest" }], S - DAY);

    const samSecret = await article(cenacle, "Le carnet de Sam", people.sam, S - 2 * DAY);
    const before = await article(forum, "Avant la fenêtre", people.bob, S - HOUR);
    const atSince = await article(forum, "Au début exact", people.bob, S);
    const seen = await article(forum, "Déjà vu sur l'accueil", people.bob, S + 2 * HOUR);
    // A wiki page by Sara at S + 2 h 30, before Sam's visit.
    const slug = await pages.uniqueSlug(db, forum.id, slugify("Charte du forum"));
    await pages.createPage(db, { spaceId: forum.id, parentId: null, title: "Charte du forum", slug, content: content("Charte du forum"), summary: "", authorId: people.sara.id, now: S + 2.5 * HOUR });
    // Sam opens the home at S + 3 h: what came before is seen.
    await recordHomeVisit(db, people.sam.id, S + 3 * HOUR, 30 * MINUTE);
    const unseen = await article(forum, HOSTILE, people.bob, S + 4 * HOUR);
    const { file } = await files.createFile(db, {
      spaceId: forum.id,
      folderId: null,
      name: "Tarifs 2027.pdf",
      userId: people.bob.id,
      now: S + 4.5 * HOUR,
      object: { storageKey: `test/tarifs-${Math.random().toString(36).slice(2)}`, size: 10, contentType: "application/pdf", sha256: "0".repeat(64), thumbnailKey: null },
      originalName: "Tarifs 2027.pdf",
    });
    const secret = await article(cenacle, "Réservé au Cénacle", people.sara, S + 5 * HOUR);
    const samOwn = await article(forum, "Mon article à moi", people.sam, S + 6 * HOUR);
    const announced = await workshop(forum, "Atelier annoncé par mail", people.bob, S + 7 * HOUR);
    // Announced to Sam and Olga (by mail, the default): Nina was not told.
    await notify(db, { kind: "workshopAnnounced", spaceId: forum.id, owner: { kind: "workshop", id: announced }, actorId: people.bob.id, recipients: [people.sam.id, people.olga.id], now: S + 7 * HOUR });
    const quiet = await workshop(forum, "Atelier sans annonce", people.bob, S + 8 * HOUR);
    const atUntil = await article(forum, "À la fin exacte", people.bob, U);
    const after = await article(forum, "Après la fenêtre", people.bob, U + HOUR);

    // Bob mentions Sam (by mail) and Olga (in the digest) on the unseen article.
    const mention = await notify(db, { kind: "mention", spaceId: forum.id, owner: { kind: "post", id: unseen.id }, actorId: people.bob.id, recipients: [people.sam.id, people.olga.id], now: S + 9 * HOUR });
    // Comments on Sam's own articles: "in the digest" by default.
    const comment = (by: User, post: Post, space: Space, at: number) =>
      notify(db, { kind: "commentOnMine", spaceId: space.id, owner: { kind: "post", id: post.id }, actorId: by.id, recipients: [people.sam.id], now: at }).then((r) => r.notificationIds[0]!);
    const earlyComment = await comment(people.bob, samOwn, forum, S - HOUR);
    const olgaComment = await comment(people.olga, samOwn, forum, S + 10 * HOUR);
    const ninaComment = await comment(people.nina, samOwn, forum, S + 11 * HOUR);
    const saraSecretComment = await comment(people.sara, samSecret, cenacle, S + 12 * HOUR);
    const lateComment = await comment(people.bob, samOwn, forum, U + HOUR);

    items = { before, atSince, seen, unseen, secret, samOwn, samSecret, atUntil, after, announced, quiet, fileId: file.id };
    notes = { samMention: mention.notificationIds[0]!, olgaMention: mention.notificationIds[1]!, olgaComment, ninaComment, saraSecretComment, earlyComment, lateComment };
  });

  afterAll(async () => {
    await database?.remove();
  });

  async function contentOf(who: keyof typeof people, window = { since: S, until: U }): Promise<DigestContent> {
    const user = (await findById(db, people[who].id))!;
    return digestContent(db, user, window, window.until);
  }

  const titles = (c: DigestContent) => c.clubs.map((club) => [club.name, club.items.map((i) => i.title)]);

  test("the fixtures are as meant: the window is the 24 hours before Tuesday 6 April 08:00 CEST, notifications went as chosen", async () => {
    expect(iso(S)).toBe("2027-04-05T06:00:00.000Z");
    expect(lastSendingMoment(U, "Europe/Paris", "daily")).toEqual({ at: U, period: "2027-04-06" });
    const rows = await db.selectFrom("notification").select(["id", "in_digest"]).execute();
    const inDigest = new Map(rows.map((r) => [r.id, r.in_digest]));
    expect(inDigest.get(notes.samMention)).toBe(0);
    expect(inDigest.get(notes.olgaMention)).toBe(1);
    expect(inDigest.get(notes.olgaComment)).toBe(1);
    // Sam's mention and both announcements went by mail, each its own outbox row.
    const mailed = await db.selectFrom("mail_outbox").select(["recipient", "notification_id"]).where("notification_id", "is not", null).execute();
    expect(mailed.map((m) => m.recipient).sort()).toEqual([people.sam.email, people.sam.email, people.olga.email].sort());
  });

  test("Sam: news after his visit, in his clubs (the secret one included), not his own, not the workshop he was mailed, within the window; comments on his articles gathered", async () => {
    const c = await contentOf("sam");
    // Newest first, clubs in the order of their newest item.
    expect(titles(c)).toEqual([
      ["Club Forum", ["À la fin exacte", "Atelier sans annonce", "Tarifs 2027.pdf", HOSTILE]],
      ["Cénacle Secret", ["Réservé au Cénacle"]],
    ]);
    // Left out: before the window, at its start (the window is open there), seen at the visit (the
    // article at S + 2 h, the page at S + 2 h 30), his own, the workshop mailed to him, after the window.
    const shown = c.clubs.flatMap((club) => club.items.map((i) => i.title));
    for (const t of ["Avant la fenêtre", "Au début exact", "Déjà vu sur l'accueil", "Charte du forum", "Mon article à moi", "Atelier annoncé par mail", "Après la fenêtre"]) expect(shown).not.toContain(t);
    expect(c.more).toBe(false);

    // Two lines: Sara's comment in the Cénacle (S + 12 h), and the two comments on his article gathered
    // at the place of the newest (Nina's, S + 11 h). Not his mention (by mail), not the comments outside the window.
    expect(c.lines).toEqual([
      expect.objectContaining({ count: 1, names: ["Sara Gardienne"], space: "Cénacle Secret", title: "Le carnet de Sam", path: `/notifications/${notes.saraSecretComment}`, grouped: null }),
      expect.objectContaining({ count: 2, names: ["Nina Réseau", "Olga Dehors"], space: "Club Forum", title: "Mon article à moi", path: `/notifications/${notes.ninaComment}` }),
    ]);
    expect(c.lines[1]!.grouped).not.toBeNull();
    expect(c.total).toBe(5 + 2);
  });

  test("Olga: no visit, so all the window's Forum news; never the secret article; Sam's article is news to her; her mention taken in the digest is a line", async () => {
    const c = await contentOf("olga");
    expect(titles(c)).toEqual([["Club Forum", ["À la fin exacte", "Atelier sans annonce", "Mon article à moi", "Tarifs 2027.pdf", HOSTILE, "Charte du forum", "Déjà vu sur l'accueil"]]]);
    expect(c.lines).toEqual([expect.objectContaining({ count: 1, names: ["Bob Forum"], space: "Club Forum", title: HOSTILE, path: `/notifications/${notes.olgaMention}` })]);
    expect(c.total).toBe(7 + 1);
  });

  test("Nina, network admin outside the secret club: never its article; the workshop nobody announced to her is news to her", async () => {
    const c = await contentOf("nina");
    expect(titles(c)).toEqual([["Club Forum", ["À la fin exacte", "Atelier sans annonce", "Atelier annoncé par mail", "Mon article à moi", "Tarifs 2027.pdf", HOSTILE, "Charte du forum", "Déjà vu sur l'accueil"]]]);
    expect(c.lines).toEqual([]);
    expect(c.total).toBe(8);
  });

  test("the next window starts where this one ended: only what came after", async () => {
    const next = { since: U, until: U + DAY };
    const olga = await contentOf("olga", next);
    expect(titles(olga)).toEqual([["Club Forum", ["Après la fenêtre"]]]);
    expect(olga.lines).toEqual([]);
    const sam = await contentOf("sam", next);
    expect(titles(sam)).toEqual([["Club Forum", ["Après la fenêtre"]]]);
    expect(sam.lines).toEqual([expect.objectContaining({ count: 1, names: ["Bob Forum"], title: "Mon article à moi", path: `/notifications/${notes.lateComment}` })]);
  });

  test("the sweep at 8:00: a digest for each daily member, mails only for those with something to say, none for 'off'; exactly once", async () => {
    const counts = await sendDueDigests(db, U);
    // Sam, Olga, Nina: news; Quentin: nothing; Bob: off; Sara: weekly, her Monday 8:00 (24 h ago) let go.
    expect(counts).toEqual({ queued: 3, empty: 1, taken: 0 });

    const digestOf = async (who: keyof typeof people) => digestsOf(db, people[who].id);
    const expectedItems = { sam: 7, olga: 8, nina: 8, quentin: 0 };
    const ids = new Map<string, string>();
    for (const [who, n] of Object.entries(expectedItems) as Array<[keyof typeof people, number]>) {
      const list = await digestOf(who);
      expect(list, who).toHaveLength(1);
      expect(list[0], who).toMatchObject({ period: "2027-04-06", frequency: "daily", since: S, until: U, items: n, created_at: U });
      ids.set(people[who].email, list[0]!.id);
      expect((await findById(db, people[who].id))!.digest_until, who).toBe(U);
    }
    expect(await digestOf("bob")).toEqual([]);
    expect(await digestOf("sara")).toEqual([]);

    // One outbox row per digest with something in it, composed when sent (no payload yet).
    const mails = await db.selectFrom("mail_outbox").select(["recipient", "digest_id", "payload", "notification_id", "state"]).where("digest_id", "is not", null).execute();
    expect(mails.map((m) => m.recipient).sort()).toEqual([people.sam.email, people.olga.email, people.nina.email].sort());
    for (const m of mails) expect(m).toEqual({ recipient: m.recipient, digest_id: ids.get(m.recipient), payload: null, notification_id: null, state: "pending" });
    // Quentin's empty digest: no mail of any kind.
    expect(await db.selectFrom("mail_outbox").select("id").where("recipient", "=", people.quentin.email).execute()).toEqual([]);

    // Again at once, and an hour later: nothing more.
    expect(await sendDueDigests(db, U)).toEqual({ queued: 0, empty: 0, taken: 0 });
    expect(await sendDueDigests(db, U + HOUR)).toEqual({ queued: 0, empty: 0, taken: 0 });
    expect(await db.selectFrom("digest").select("id").execute()).toHaveLength(4);
    expect(await db.selectFrom("mail_outbox").select("id").where("digest_id", "is not", null).execute()).toHaveLength(3);
  });

  test("the mail: the hostile title escaped in HTML, titles and absolute links in both parts, daily and weekly subjects differ, one-click unsubscribe", async () => {
    const c = await contentOf("sam");
    const parts = {
      to: people.sam.email,
      locale: "fr" as const,
      network: "Réseau de test",
      name: "Samuel Initié",
      frequency: "daily" as const,
      since: S,
      readerZone: "Europe/Paris",
      content: c,
      baseUrl: "http://cercle.test",
      settingsUrl: "http://cercle.test/settings/notifications",
      unsubscribeUrl: "http://cercle.test/mail/unsubscribe?t=abc",
    };
    const daily = digestMail(parts);
    const weekly = digestMail({ ...parts, frequency: "weekly" });
    expect(daily.to).toBe(people.sam.email);
    expect(daily.unsubscribe).toBe("http://cercle.test/mail/unsubscribe?t=abc");
    expect(daily.subject).toContain("Réseau de test");
    expect(weekly.subject).not.toBe(daily.subject);

    expect(daily.html).not.toContain("<script");
    expect(daily.html).toContain("Prix &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; marges");
    expect(daily.text).toContain(HOSTILE);
    const links = [
      `http://cercle.test/spaces/forum/blog/${items.unseen.slug}`,
      `http://cercle.test/spaces/forum/blog/${items.atUntil.slug}`,
      `http://cercle.test/spaces/cenacle/blog/${items.secret.slug}`,
      `http://cercle.test/spaces/forum/workshops/${items.quiet}`,
      `http://cercle.test/spaces/forum/files/${items.fileId}`,
      `http://cercle.test/notifications/${notes.ninaComment}`,
      `http://cercle.test/notifications/${notes.saraSecretComment}`,
    ];
    for (const link of links) {
      expect(daily.text).toContain(link);
      expect(daily.html).toContain(`href="${link}"`);
    }
    for (const title of ["Réservé au Cénacle", "À la fin exacte", "Atelier sans annonce", "Tarifs 2027.pdf", "Cénacle Secret", "Club Forum"]) {
      expect(daily.text).toContain(title);
      expect(daily.html).toContain(title);
    }
    expect(daily.html).not.toContain("Atelier annoncé par mail");
  });

  test("a notification taken in the digest is there while unread, gone once read", async () => {
    expect((await contentOf("sam")).lines.map((l) => l.title)).toEqual(["Le carnet de Sam", "Mon article à moi"]);
    // Opening the line's notification reads the gathered ones (as from the bell); here, each is read.
    await markRead(db, { userId: people.sam.id, id: notes.ninaComment, now: U + 2 * HOUR });
    await markRead(db, { userId: people.sam.id, id: notes.olgaComment, now: U + 2 * HOUR });
    const after = await contentOf("sam");
    expect(after.lines.map((l) => [l.title, l.count])).toEqual([["Le carnet de Sam", 1]]);
    expect(after.total).toBe(5 + 1);
  });

  test("rights at the moment of composing: once Sam has left the secret club, its article and his notification there are gone", async () => {
    expect(titles(await contentOf("sam")).map(([club]) => club)).toEqual(["Club Forum", "Cénacle Secret"]);
    await members.removeMember(db, cenacle.id, people.sam.id);
    const c = await contentOf("sam");
    expect(titles(c)).toEqual([["Club Forum", ["À la fin exacte", "Atelier sans annonce", "Tarifs 2027.pdf", HOSTILE]]]);
    expect(c.lines).toEqual([]);
    expect(c.total).toBe(4);
  });

  test("more news than fit (30 items): 'more' says so even when a workshop already told is among the newest", async () => {
    // A club of its own (Bob and Pia), a window of its own a week later: nothing above is touched.
    const pia = await createUser(db, { displayName: "Pia Lectrice" });
    const defile = await createSpace(db, { createdBy: people.bob.id, slug: "defile", name: "Club Défilé", visibility: "listed" });
    await addMember(db, { space: defile, user: pia });
    const since = U + 7 * DAY;
    const until = since + DAY;
    // 31 articles, one a minute, then a workshop announced to Pia by mail, newest of all.
    for (let i = 1; i <= 31; i++) await article(defile, `Article ${String(i).padStart(2, "0")}`, people.bob, since + i * MINUTE);
    const told = await workshop(defile, "Atelier déjà annoncé", people.bob, since + 40 * MINUTE);
    await notify(db, { kind: "workshopAnnounced", spaceId: defile.id, owner: { kind: "workshop", id: told }, actorId: people.bob.id, recipients: [pia.id], now: since + 40 * MINUTE });

    const c = await digestContent(db, (await findById(db, pia.id))!, { since, until }, until);
    const shown = c.clubs.flatMap((club) => club.items.map((i) => i.title));
    // 31 news items for Pia (the workshop reached her by mail): the 30 newest are shown, and one more is not.
    expect(shown).toEqual(Array.from({ length: 30 }, (_, i) => `Article ${String(31 - i).padStart(2, "0")}`));
    expect(shown).not.toContain("Atelier déjà annoncé");
    expect(c.more).toBe(true);
  });

  test("a club set to 'only what concerns me' or muted sends no news; what concerns the member still comes", async () => {
    const before = await contentOf("olga");
    expect(before.clubs.map((club) => club.name)).toEqual(["Club Forum"]);
    try {
      for (const level of ["mine", "muted"] as const) {
        await saveLevel(db, people.olga.id, forum.id, level, U);
        const c = await contentOf("olga");
        expect(c.clubs, level).toEqual([]);
        expect(c.more).toBe(false);
        // Her mention was taken "in the digest" when it came: still a line.
        expect(c.lines.map((l) => l.path)).toEqual([`/notifications/${notes.olgaMention}`]);
        expect(c.total).toBe(1);
      }
    } finally {
      await saveLevel(db, people.olga.id, forum.id, "all", U);
    }
    expect((await contentOf("olga")).clubs.map((club) => club.name)).toEqual(["Club Forum"]);
  });
});
