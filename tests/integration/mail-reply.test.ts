import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { AddressObject, ParsedMail } from "mailparser";
import nodemailer, { type SendMailOptions } from "nodemailer";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as members from "#db/queries/members.ts";
import * as posts from "#db/queries/posts.ts";
import type { Post, Space } from "#db/schema.ts";
import { translate } from "#app/i18n/index.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText } from "#tests/helpers/http.ts";
import { doc, paragraph, textDoc } from "#tests/helpers/lexical.ts";
import { freePort } from "#tests/helpers/process.ts";
import { repoRoot } from "#tests/helpers/server.ts";
import type { ReceivedMail } from "#tests/helpers/smtp.ts";
import { writtenOrder } from "#tests/helpers/state.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Answering notification mails by replying (issue 18), end to end: the built
 * server with its own SMTP listener, a real SMTP server catching what Cercle
 * sends, replies sent over real SMTP with Nodemailer as a mail client or a
 * mail server would, and `npm run mail:receive` in its own process. Each
 * reply is followed into the database (who wrote what, in which thread,
 * nothing when refused) and out again (the notifications it causes, the
 * refusal a member is told of, the silence a stranger or a robot gets).
 */

const REPLY_TO = "reponses@cercle.test";
/** `reponses+<24-char id>-<16-char MAC>@cercle.test`, as reply-address.server.ts and links.server.ts make it. */
const REPLY_ADDRESS = /^reponses\+([a-z2-7]{24})-([a-z2-7]{16})@cercle\.test$/;
const DAY = 24 * 60 * 60 * 1000;
const QUOTE_HEADER = "Le sam. 5 déc. 2026 à 23:40, Claire Martin <claire@cercle.test> a écrit :";

type P = "claire" | "julien";
let w: World<P, "achats" | "energie">;
let inboundPort: number;
let club: Space;
let energie: Space;
let article: Post;
let energyArticle: Post;
let claire: TestUser;
let julien: TestUser;
/** Julien's first comment on Claire's article: the thread's top comment. */
let julienTop: string;
/** The reply address of the first mail Julien got (test 1), valid all along. */
let julienAddress: string;

beforeAll(async () => {
  inboundPort = await freePort();
  w = await world({
    smtp: true,
    env: { MAIL_REPLY_TO: REPLY_TO, INBOUND_SMTP_PORT: String(inboundPort), INBOUND_SMTP_HOST: "127.0.0.1" },
    people: {
      claire: { email: "claire@cercle.test", displayName: "Claire Martin", locale: "fr" },
      julien: { email: "julien@cercle.test", displayName: "Julien Moreau", locale: "fr" },
    },
    spaces: {
      achats: { createdBy: "claire", slug: "achats", name: "Club Achats", visibility: "secret", members: { julien: "member" } },
      energie: { createdBy: "claire", slug: "energie", name: "Club Énergie", visibility: "secret", members: { julien: "member" } },
    },
  });
  ({ claire, julien } = w.people);
  ({ achats: club, energie } = w.spaces);
  const now = Date.now();
  const publish = async (space: Space, slug: string, title: string) => {
    const post = await posts.createPost(w.store.db, { spaceId: space.id, slug, title, excerpt: "", excerptAuto: true, coverFileId: null, content: { json: textDoc(title), html: `<p>${title}</p>`, text: title }, visibility: "space", authorId: claire.id, summary: "", now });
    await posts.setPostState(w.store.db, post.id, { state: "published", publishAt: null, userId: claire.id, now });
    return post;
  };
  article = await publish(club, "appel-offres", "Réussir un appel d’offres");
  energyArticle = await publish(energie, "contrat-energie", "Renégocier son contrat d’énergie");
});

afterAll(() => w?.close());

// --- helpers -------------------------------------------------------------

/** Posts a comment over HTTP as the app's form does; the new comment's id. */
async function commentOver(who: P, space: Space, post: Post, text: string, parentId?: string): Promise<string> {
  const fields: Record<string, string> = { intent: "create", targetType: "post", targetId: post.id, body: textDoc(text) };
  if (parentId) fields.parentId = parentId;
  const res = await w.c[who].post(`/spaces/${space.slug}/comments`, fields);
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
  const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")?.[1];
  expect(id, `no comment anchor in ${res.location}`).toBeDefined();
  return id!;
}

/** The Reply-To address as a mail client reads it (app/mailparser.d.ts declares only what the app reads). */
const replyToOf = (mail: ReceivedMail) => (mail.parsed as ParsedMail & { replyTo?: AddressObject }).replyTo?.value[0]?.address ?? null;
const header = (mail: ReceivedMail, name: string) => {
  const value = mail.parsed.headers.get(name);
  return typeof value === "string" ? value : null;
};

/**
 * Claire answers Julien's top comment in the app (or Julien's comment `parent`
 * in `space`); Julien's "reply" mail about it, its reply address and the row
 * the address names.
 */
async function claireAnswers(text: string, where: { space: Space; post: Post; parent: string } = { space: club, post: article, parent: julienTop }) {
  const commentId = await commentOver("claire", where.space, where.post, text, where.parent);
  const mail = await w.smtp.waitForMail((m) => m.to.includes(julien.email) && m.text.includes(text), 10_000);
  const address = replyToOf(mail);
  expect(address).toMatch(REPLY_ADDRESS);
  const [, id] = REPLY_ADDRESS.exec(address!)!;
  const row = await w.store.db.selectFrom("reply_address").selectAll().where("id", "=", id!).executeTakeFirstOrThrow();
  return { commentId, mail, address: address!, row };
}

/** One mail to Cercle's SMTP listener, as a mail server or client delivers it. */
async function deliver(message: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: inboundPort, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

/** A reply as a mail client writes it: the member's words, a signature, the quoted mail. */
const replyText = (words: string) => `${words}\n\n-- \nJulien Moreau\nAcheteur, Moreau & Fils\n\n${QUOTE_HEADER}\n> Bonjour Julien,\n> voici ce que j’en pense.\n`;

/** Everything a reply may write, counted: a refused or dropped reply changes none of it. */
async function stored() {
  const count = async (table: "comment" | "message" | "notification" | "mail_outbox") =>
    Number((await w.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { comments: await count("comment"), messages: await count("message"), notifications: await count("notification"), mails: await count("mail_outbox") };
}

/** The text of a stored body's paragraphs (a line break as "\n"), and every node type in it. */
function bodyOf(json: string) {
  type Node = { type: string; text?: string; children?: Node[] };
  const root = (JSON.parse(json) as { root: Node }).root;
  const types = new Set<string>();
  const walk = (n: Node): void => {
    types.add(n.type);
    n.children?.forEach(walk);
  };
  walk(root);
  const paragraphs = (root.children ?? []).map((p) => (p.children ?? []).map((n) => (n.type === "text" ? n.text : n.type === "linebreak" ? "\n" : `[${n.type}]`)).join(""));
  return { paragraphs, types };
}

const refusedSubject = translate("fr", "mail.replyRefused.subject");
/** The refusal mail `why` to this person, received after `since` mails. */
function refusal(to: TestUser, why: "unknown" | "expired" | "sender" | "attachments" | "empty" | "too-long" | "closed", since: number) {
  return w.smtp.waitForMail((m) => w.smtp.messages.indexOf(m) >= since && m.to.includes(to.email) && m.subject === refusedSubject && m.text.includes(translate("fr", `mail.replyRefused.${why}`)), 10_000);
}

const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A person's comments in the order they were written (two in one millisecond keep their order). */
const commentsBy = (userId: string) => w.store.db.selectFrom("comment").selectAll().where("author_id", "=", userId).orderBy(writtenOrder(w.store.db)).execute();

// --- tests ---------------------------------------------------------------

describe("a comment thread answered by mail", () => {
  test("the reply mail carries a Reply-To and says so; Julien's reply, quote and signature cut, joins the thread as his and notifies Claire", async () => {
    julienTop = await commentOver("julien", club, article, "Quelle grille de notation utilisez-vous ?");
    const answer = await claireAnswers("Une grille sur 100, prix compris.");
    julienAddress = answer.address;
    const { mail, row } = answer;

    // The mail: Julien's "reply" notification, answerable, and saying so.
    expect(mail.subject).toBe(translate("fr", "mail.reply.subject", { name: "Claire Martin" }));
    expect(mail.text).toContain(translate("fr", "mail.reply.hint"));
    expect(mail.html).toContain(translate("fr", "mail.reply.hint"));
    // The address names Julien, this article's thread in this club, the comment he was told of, for 60 days.
    expect(row).toMatchObject({ user_id: julien.id, thread: "comment", space_id: club.id, owner_kind: "post", owner_id: article.id, comment_id: answer.commentId, conversation_id: null });
    expect(row.expires_at - row.created_at).toBe(60 * DAY);

    const words = "Merci Claire, je regarde ça demain.\nLe devis arrive jeudi.\n\nJe vous rappelle pour la suite.";
    const before = await stored();
    const info = await deliver({ from: `Julien Moreau <${julien.email}>`, to: julienAddress, subject: `Re: ${mail.subject}`, text: replyText(words) });
    expect(info.accepted).toEqual([julienAddress]);

    // Taken before the listener answered 250: one new comment, Julien's, in the thread of his top comment.
    const mine = await commentsBy(julien.id);
    expect(mine).toHaveLength(2);
    const posted = mine[1]!;
    expect(posted).toMatchObject({ space_id: club.id, post_id: article.id, page_id: null, parent_id: julienTop, deleted_at: null });
    expect(bodyOf(posted.body_json).paragraphs).toEqual(["Merci Claire, je regarde ça demain.\nLe devis arrive jeudi.", "Je vous rappelle pour la suite."]);
    for (const cut of ["a écrit", "Bonjour Julien", "Acheteur", "Moreau & Fils", "--", ">"]) {
      expect(posted.body_text, cut).not.toContain(cut);
      expect(posted.body_html, cut).not.toContain(cut === ">" ? "&gt;" : cut);
    }
    expect((await stored()).comments).toBe(before.comments + 1);
    // Claire hears of it as of any reply to her comment: in the app and by mail, an answerable one.
    const told = await w.store.db.selectFrom("notification").selectAll().where("user_id", "=", claire.id).where("comment_id", "=", posted.id).execute();
    expect(told).toMatchObject([{ kind: "reply", actor_id: julien.id, owner_kind: "post", owner_id: article.id }]);
    const hers = await w.smtp.waitForMail((m) => m.to.includes(claire.email) && m.text.includes("Je vous rappelle pour la suite."), 10_000);
    expect(hers.subject).toBe(translate("fr", "mail.reply.subject", { name: "Julien Moreau" }));
    const hersAddress = replyToOf(hers);
    expect(hersAddress).toMatch(REPLY_ADDRESS);
    expect(await w.store.db.selectFrom("reply_address").select(["user_id", "comment_id"]).where("id", "=", REPLY_ADDRESS.exec(hersAddress!)![1]!).executeTakeFirst()).toEqual({ user_id: claire.id, comment_id: posted.id });
    // And the thread shows it.
    const page = pageText((await w.c.claire.get(`/spaces/achats/blog/${article.slug}`)).text);
    expect(page).toContain("Je vous rappelle pour la suite.");
  });

  test("an HTML-only reply becomes text: no markup survives, what looked like a tag is only text", async () => {
    const before = await commentsBy(julien.id);
    const html =
      `<div dir="ltr"><p>Merci Claire, <b>très utile</b> pour l’appel d’offres.</p><script>alert(1)</script>` +
      `<p>&lt;img src=x onerror=alert(2)&gt; reste du texte</p></div>` +
      `<div class="gmail_quote"><div>Le sam. 5 déc. 2026 à 23:40, Claire Martin &lt;claire@cercle.test&gt; a écrit :</div>` +
      `<blockquote class="gmail_quote">Bonjour Julien,<br>voici ce que j’en pense.</blockquote></div>`;
    await deliver({ from: julien.email, to: julienAddress, subject: "Re: réponse", html });

    const after = await commentsBy(julien.id);
    expect(after).toHaveLength(before.length + 1);
    const posted = after.at(-1)!;
    expect(posted.parent_id).toBe(julienTop);
    const body = bodyOf(posted.body_json);
    expect(body.paragraphs).toEqual(["Merci Claire, très utile pour l’appel d’offres.", "<img src=x onerror=alert(2)> reste du texte"]);
    // Text nodes in paragraphs, nothing else: no HTML node, no link, no image.
    expect([...body.types].sort()).toEqual(["paragraph", "root", "text"]);
    expect(posted.body_html).not.toMatch(/<(script|b|div|img|blockquote)\b/i);
    expect(posted.body_html).toContain("&lt;img src=x onerror=alert(2)&gt; reste du texte");
    expect(posted.body_json).not.toMatch(/<script/i);
    expect(posted.body_text).not.toMatch(/<script|<b>|a écrit/i);
    // As served in the thread, still text.
    const served = (await w.c.claire.get(`/spaces/achats/blog/${article.slug}`)).text;
    expect(served).not.toContain("<img src=x onerror=alert(2)>");
    expect(served).toContain("&lt;img src=x onerror=alert(2)&gt; reste du texte");
  });

  test("a forged or unknown token posts nothing; the member who sent it is told, by an automatic mail", async () => {
    const [, id, mac] = REPLY_ADDRESS.exec(julienAddress)!;
    const otherChar = (c: string) => (c === "a" ? "b" : "a");
    const forged = [
      `reponses+${id}-${mac!.slice(0, -1)}${otherChar(mac!.at(-1)!)}@cercle.test`, // the MAC changed
      `reponses+${otherChar(id![0]!)}${id!.slice(1)}-${mac}@cercle.test`, // another id under the same MAC
      `reponses+nimportequoi@cercle.test`, // not even a token
    ];
    for (const address of forged) {
      const before = await stored();
      const since = w.smtp.messages.length;
      const info = await deliver({ from: julien.email, to: address, subject: "Re: réponse", text: replyText("Ceci ne doit pas être publié.") });
      expect(info.accepted, address).toEqual([address]);
      const told = await refusal(julien, "unknown", since);
      expect(header(told, "auto-submitted"), address).toBe("auto-replied");
      // An automatic answer is not itself answerable.
      expect(replyToOf(told)).toBeNull();
      expect(told.text).not.toContain(translate("fr", "mail.reply.hint"));
      const after = await stored();
      expect({ ...after, mails: before.mails }, address).toEqual(before);
      expect(after.mails, address).toBe(before.mails + 1);
    }
    expect((await commentsBy(julien.id)).map((c) => c.body_text).join(" ")).not.toContain("Ceci ne doit pas être publié.");
  });

  test("a reply address past its 60 days posts nothing and says it expired", async () => {
    const { address, row } = await claireAnswers("Relancez-moi après les congés.");
    await w.store.db.updateTable("reply_address").set({ expires_at: Date.now() - 1000 }).where("id", "=", row.id).execute();
    const before = await stored();
    const since = w.smtp.messages.length;
    await deliver({ from: julien.email, to: address, subject: "Re: relance", text: replyText("Trop tard ?") });
    const told = await refusal(julien, "expired", since);
    expect(header(told, "auto-submitted")).toBe("auto-replied");
    const after = await stored();
    expect({ ...after, mails: before.mails }).toEqual(before);
    expect(after.mails).toBe(before.mails + 1);
  });

  test("Julien's address used from another address: nobody's comment; a member is told, a stranger gets nothing", async () => {
    // From Claire, a member: nothing posted as her nor as Julien; she is told why.
    let before = await stored();
    let since = w.smtp.messages.length;
    const byClaire = await commentsBy(claire.id);
    const byJulien = await commentsBy(julien.id);
    await deliver({ from: `Claire Martin <${claire.email}>`, to: julienAddress, subject: "Re: réponse", text: "Je réponds à la place de Julien." });
    const told = await refusal(claire, "sender", since);
    expect(header(told, "auto-submitted")).toBe("auto-replied");
    let after = await stored();
    expect({ ...after, mails: before.mails }).toEqual(before);
    expect(after.mails).toBe(before.mails + 1);
    expect(await commentsBy(claire.id)).toEqual(byClaire);
    expect(await commentsBy(julien.id)).toEqual(byJulien);
    // Julien himself hears nothing of it.
    expect(w.smtp.messages.slice(since).filter((m) => m.to.includes(julien.email))).toEqual([]);

    // From someone with no account (a forged sender, maybe): nothing stored, no mail to anyone.
    before = await stored();
    since = w.smtp.messages.length;
    await deliver({ from: "inconnu@ailleurs.test", to: julienAddress, subject: "Re: réponse", text: "Achetez nos panneaux solaires." });
    await quiet(1000);
    after = await stored();
    expect(after).toEqual(before);
    expect(w.smtp.messages.slice(since)).toEqual([]);
  });

  test("a member who left the club can no longer answer its thread by mail: closed, nothing posted", async () => {
    const top = await commentOver("julien", energie, energyArticle, "Quel fournisseur pour les PME ?");
    const { address, row } = await claireAnswers("Comparez au moins trois offres.", { space: energie, post: energyArticle, parent: top });
    expect(row).toMatchObject({ user_id: julien.id, space_id: energie.id, owner_id: energyArticle.id });
    await members.removeMember(w.store.db, energie.id, julien.id);

    const before = await stored();
    const since = w.smtp.messages.length;
    await deliver({ from: julien.email, to: address, subject: "Re: fournisseur", text: replyText("Merci, je compare.") });
    await refusal(julien, "closed", since);
    const after = await stored();
    expect({ ...after, mails: before.mails }).toEqual(before);
    expect(after.mails).toBe(before.mails + 1);
    // The thread holds what it held: Julien's question and Claire's answer.
    const thread = await w.store.db.selectFrom("comment").select(["id", "author_id"]).where("post_id", "=", energyArticle.id).orderBy(writtenOrder(w.store.db)).execute();
    expect(thread).toEqual([
      { id: top, author_id: julien.id },
      { id: row.comment_id, author_id: claire.id },
    ]);
  });

  test("an attachment is refused with a word to the member; an inline image of a signature is no attachment", async () => {
    let before = await stored();
    const since = w.smtp.messages.length;
    await deliver({
      from: julien.email,
      to: julienAddress,
      subject: "Re: devis",
      text: replyText("Voici le devis en pièce jointe."),
      attachments: [{ filename: "devis.pdf", content: Buffer.from("%PDF-1.4 devis"), contentType: "application/pdf" }],
    });
    await refusal(julien, "attachments", since);
    const after = await stored();
    expect({ ...after, mails: before.mails }).toEqual(before);
    expect(after.mails).toBe(before.mails + 1);

    // A logo the mail client put inline (cid:) is part of the signature: the reply goes through.
    before = await stored();
    await deliver({
      from: julien.email,
      to: julienAddress,
      subject: "Re: devis",
      text: replyText("Le devis suit par le site."),
      html: `<p>Le devis suit par le site.</p><p>-- <br>Julien Moreau<br><img src="cid:logo@moreau"></p>`,
      attachments: [{ filename: "logo.png", content: Buffer.from("89504e470d0a1a0a", "hex"), contentType: "image/png", cid: "logo@moreau" }],
    });
    const posted = (await commentsBy(julien.id)).at(-1)!;
    expect(bodyOf(posted.body_json).paragraphs).toEqual(["Le devis suit par le site."]);
    expect(posted.parent_id).toBe(julienTop);
    expect((await stored()).comments).toBe(before.comments + 1);
    // Claire is told of it as of any reply (and that mail is out before the next test counts mails).
    await w.smtp.waitForMail((m) => m.to.includes(claire.email) && m.text.includes("Le devis suit par le site."), 10_000);
  });

  test("a reply with nothing above the quote is empty, one over 10,000 characters too long: refused with a word; 10,000 is posted", async () => {
    // Only the quote and the signature: nothing of Julien's.
    let before = await stored();
    let since = w.smtp.messages.length;
    await deliver({ from: julien.email, to: julienAddress, subject: "Re: réponse", text: replyText("") });
    await refusal(julien, "empty", since);
    let after = await stored();
    expect({ ...after, mails: before.mails }).toEqual(before);
    expect(after.mails).toBe(before.mails + 1);

    // 10,000 characters of his own: the most a reply may hold.
    const longest = `x${"Prix ferme. ".repeat(834).trim()}`.slice(0, 10_000);
    expect(longest).toHaveLength(10_000);
    before = await stored();
    since = w.smtp.messages.length;
    await deliver({ from: julien.email, to: julienAddress, subject: "Re: réponse", text: replyText(`${longest}y`) });
    await refusal(julien, "too-long", since);
    after = await stored();
    expect({ ...after, mails: before.mails }).toEqual(before);
    expect(after.mails).toBe(before.mails + 1);

    await deliver({ from: julien.email, to: julienAddress, subject: "Re: réponse", text: replyText(longest) });
    const posted = (await commentsBy(julien.id)).at(-1)!;
    expect(bodyOf(posted.body_json).paragraphs).toEqual([longest]);
    expect((await stored()).comments).toBe(before.comments + 1);
    await w.smtp.waitForMail((m) => m.to.includes(claire.email) && m.text.includes(longest.slice(0, 200)), 10_000);
  });

  test("an address whose case a mail server changed still answers", async () => {
    const shouted = julienAddress.toUpperCase();
    await deliver({ from: julien.email.toUpperCase(), to: shouted, subject: "RE: RÉPONSE", text: replyText("Reçu malgré les majuscules.") });
    const posted = (await commentsBy(julien.id)).at(-1)!;
    expect(bodyOf(posted.body_json).paragraphs).toEqual(["Reçu malgré les majuscules."]);
    expect(posted.parent_id).toBe(julienTop);
    await w.smtp.waitForMail((m) => m.to.includes(claire.email) && m.text.includes("Reçu malgré les majuscules."), 10_000);
  });

  test("automatic replies and bounces are dropped without a word: nothing stored, nothing sent back", async () => {
    const before = await stored();
    const since = w.smtp.messages.length;
    const dropped = "Je suis absent jusqu’au 4 janvier.";
    const automatic: SendMailOptions[] = [
      { headers: { "Auto-Submitted": "auto-replied" } },
      { headers: { "Auto-Submitted": "auto-generated" } },
      { headers: { "X-Autoreply": "yes" } },
      { headers: { Precedence: "bulk" } },
      { headers: { Precedence: "auto_reply" } },
      // A bounce: the empty envelope sender (MAIL FROM:<>), though the From is Julien's.
      { envelope: { from: "", to: [julienAddress] } },
      // A bounce by its sender's name.
      { from: "MAILER-DAEMON@mx.cercle.test", envelope: { from: "mailer-daemon@mx.cercle.test", to: [julienAddress] } },
      { from: "postmaster@mx.cercle.test" },
    ];
    for (const extra of automatic) {
      const info = await deliver({ from: julien.email, to: julienAddress, subject: "Réponse automatique", text: dropped, ...extra });
      expect(info.accepted, JSON.stringify(extra)).toEqual([julienAddress]);
    }
    // A delivery report (multipart/report), from Julien's own address.
    const report = [
      `From: ${julien.email}`,
      `To: ${julienAddress}`,
      "Subject: Delivery Status Notification",
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="rep"',
      "",
      "--rep",
      "Content-Type: text/plain; charset=utf-8",
      "",
      dropped,
      "--rep",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.cercle.test",
      "",
      "Final-Recipient: rfc822; julien@cercle.test",
      "Action: failed",
      "Status: 5.1.1",
      "--rep--",
      "",
    ].join("\r\n");
    await deliver({ envelope: { from: julien.email, to: [julienAddress] }, raw: report });
    await quiet(1000);
    expect(await stored()).toEqual(before);
    expect(w.smtp.messages.slice(since)).toEqual([]);

    // The same words from Julien with "Auto-Submitted: no" are his own: posted.
    await deliver({ from: julien.email, to: julienAddress, subject: "Re: réponse", text: "Écrit à la main, promis.", headers: { "Auto-Submitted": "no" } });
    expect((await commentsBy(julien.id)).at(-1)!.body_text).toContain("Écrit à la main, promis.");
    await w.smtp.waitForMail((m) => m.to.includes(claire.email) && m.text.includes("Écrit à la main, promis."), 10_000);
  });
});

describe("the SMTP listener's limits", () => {
  test("over 1 MiB is refused with 552, a recipient not of ours with 550, garbage changes nothing; the next reply still goes through", async () => {
    const before = await stored();
    const since = w.smtp.messages.length;
    // Over 1 MiB: refused while it arrives, nothing read.
    const big = deliver({ from: julien.email, to: julienAddress, subject: "Re: gros", text: `Un très long texte. ${"x".repeat(76)}\n`.repeat(14_000) });
    await expect(big).rejects.toMatchObject({ responseCode: 552 });

    // Not a reply address of ours: refused at RCPT.
    for (const to of ["reponses@cercle.test", "claire@cercle.test", `${julienAddress.split("@")[0]}@ailleurs.test`, `autre+${julienAddress.split("+")[1]}`]) {
      await expect(deliver({ from: julien.email, to, subject: "Re: x", text: "Pour qui ?" }), to).rejects.toMatchObject({ responseCode: 550 });
    }

    // Garbage: random bytes, and a mail whose every header and part is broken.
    const garbage = [
      randomBytes(4096),
      Buffer.from("From: <<<@>>>\r\nTo: ;;;\r\nContent-Type: multipart/mixed; boundary=\r\nContent-Transfer-Encoding: base64\r\n\r\n--\r\n\u0000\u0001%%% not base64 ===\r\n--\r\n"),
      Buffer.from("\r\n\r\n\r\n"),
    ];
    for (const raw of garbage) {
      await deliver({ envelope: { from: "x@ailleurs.test", to: [julienAddress] }, raw }).catch((error: { responseCode?: number }) => {
        // Refusing it is fine; failing on it ("try again later") is not.
        expect(error.responseCode).toBeGreaterThanOrEqual(500);
        expect(error.responseCode).not.toBe(451);
      });
    }
    await quiet(800);
    expect(await stored()).toEqual(before);
    expect(w.smtp.messages.slice(since)).toEqual([]);

    // Still listening, and taking replies.
    await deliver({ from: julien.email, to: julienAddress, subject: "Re: réponse", text: replyText("Toujours là.") });
    const posted = (await commentsBy(julien.id)).at(-1)!;
    expect(bodyOf(posted.body_json).paragraphs).toEqual(["Toujours là."]);
    expect((await stored()).comments).toBe(before.comments + 1);
  });

  test("a huge mail is refused with 552 as it arrives, not held in memory whole", { timeout: 60_000 }, async () => {
    // 256 MiB, streamed: the listener needs to keep no more than the first MiB of it (MAX_REPLY_BYTES).
    const total = 256 * 1024 * 1024;
    const block = Buffer.from(`${"x".repeat(998)}\r\n`.repeat(64));
    let sent = -1;
    const source = new Readable({
      read() {
        if (sent < 0) {
          sent = 0;
          this.push(`From: ${julien.email}\r\nTo: ${julienAddress}\r\nSubject: Re: énorme\r\n\r\n`);
        }
        if (sent >= total) return void this.push(null);
        sent += block.length;
        this.push(block);
      },
    });
    const before = await stored();
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    try {
      await expect(deliver({ envelope: { from: julien.email, to: [julienAddress] }, raw: source })).rejects.toMatchObject({ responseCode: 552 });
    } finally {
      clearInterval(sampler);
    }
    expect(sent).toBeGreaterThanOrEqual(total);
    expect(await stored()).toEqual(before);
    // Buffers come and go as the mail passes (both ends are in this process); what must not happen is keeping them all.
    // Held whole, the peak is the mail's 256 MiB; streamed, a few MiB (up to 36 seen), whatever the GC's timing: 160 keeps room both ways.
    expect((peak - base) / (1024 * 1024), "MiB of buffers held at the peak").toBeLessThan(160);
  });
});

describe("a conversation answered by mail", () => {
  test("Claire's unread-message mail can be answered: her reply becomes her message in that conversation, and Julien is told", async () => {
    const res = await w.c.julien.post("/messages/new", [
      ["to", claire.id],
      ["body", doc(paragraph("Un café jeudi pour parler du contrat ?"))],
    ]);
    expect([302, 303]).toContain(res.status);
    const conversationId = /\/messages\/([0-9a-z]+)$/.exec(res.location ?? "")?.[1];
    expect(conversationId).toBeDefined();

    const subject = translate("fr", "mail.message.subject", { name: "Julien Moreau" });
    const mail = await w.smtp.waitForMail((m) => m.to.includes(claire.email) && m.subject === subject, 10_000);
    expect(mail.text).toContain(translate("fr", "mail.reply.hint"));
    const address = replyToOf(mail);
    expect(address).toMatch(REPLY_ADDRESS);
    const row = await w.store.db.selectFrom("reply_address").selectAll().where("id", "=", REPLY_ADDRESS.exec(address!)![1]!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: claire.id, thread: "conversation", conversation_id: conversationId, space_id: null, owner_kind: null, owner_id: null, comment_id: null });

    const commentsBefore = (await stored()).comments;
    await deliver({ from: claire.email, to: address!, subject: `Re: ${subject}`, text: `Avec plaisir, 10 h ?\n\nLe jeu. 3 déc. 2026 à 09:12, Julien Moreau <${julien.email}> a écrit :\n> ${subject}\n` });

    const messages = await w.store.db.selectFrom("message").selectAll().where("conversation_id", "=", conversationId!).orderBy(writtenOrder(w.store.db)).execute();
    expect(messages.map((m) => [m.author_id, m.body_text.trim()])).toEqual([
      [julien.id, "Un café jeudi pour parler du contrat ?"],
      [claire.id, "Avec plaisir, 10 h ?"],
    ]);
    expect(bodyOf(messages[1]!.body_json).paragraphs).toEqual(["Avec plaisir, 10 h ?"]);
    expect((await stored()).comments).toBe(commentsBefore);
    // Julien had not been mailed about this conversation: he is now, by a mail he may answer too.
    const his = await w.smtp.waitForMail((m) => m.to.includes(julien.email) && m.subject === translate("fr", "mail.message.subject", { name: "Claire Martin" }), 10_000);
    expect(replyToOf(his)).toMatch(REPLY_ADDRESS);
    // And the conversation shows it to him.
    expect(pageText((await w.c.julien.get(`/messages/${conversationId}`)).text)).toContain("Avec plaisir, 10 h ?");

    // Writing by mail counts as having read, as writing in the app does: Julien's next message mails Claire again.
    const since = w.smtp.messages.length;
    expect((await w.c.julien.post(`/messages/${conversationId}`, { intent: "send", body: textDoc("10 h, parfait.") })).status).toBe(200);
    const again = await w.smtp.waitForMail((m) => w.smtp.messages.indexOf(m) >= since && m.to.includes(claire.email) && m.subject === subject, 10_000);
    const next = replyToOf(again);
    expect(next).toMatch(REPLY_ADDRESS);
    expect(next).not.toBe(address);
  });
});

describe("npm run mail:receive", () => {
  /** server/mail-receive.ts in its own process, as `npm run mail:receive` runs it, the mail on its standard input. */
  function receive(raw: Buffer, envelope: { sender: string; recipient: string }) {
    const child = spawn(process.execPath, ["--import", "tsx", "server/mail-receive.ts", "--sender", envelope.sender, "--recipient", envelope.recipient], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: w.server.dataDir, BASE_URL: w.server.url, MAIL_REPLY_TO: REPLY_TO, SMTP_URL: w.smtp.url },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    // It may stop reading before the end (a mail over the limit): the rest has nowhere to go.
    child.stdin.on("error", () => {});
    child.stdin.end(raw);
    return new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on("exit", (code) => resolve({ code, out, err })));
  }

  /** A raw reply as a mail client sends it. */
  async function rawReply(text: string) {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
    const info = await transport.sendMail({ from: `Julien Moreau <${julien.email}>`, to: julienAddress, subject: "Re: réponse", text });
    return info.message as Buffer;
  }

  test("a reply on standard input: exit 0, posted as Julien's comment, Claire told by mail", { timeout: 90_000 }, async () => {
    const before = await stored();
    const result = await receive(await rawReply(replyText("Reçu par le tuyau du serveur de mail.")), { sender: julien.email, recipient: julienAddress });
    expect(result.code, result.err).toBe(0);
    const posted = (await commentsBy(julien.id)).at(-1)!;
    expect(bodyOf(posted.body_json).paragraphs).toEqual(["Reçu par le tuyau du serveur de mail."]);
    expect(posted).toMatchObject({ post_id: article.id, parent_id: julienTop });
    expect(result.out).toContain(posted.id);
    expect((await stored()).comments).toBe(before.comments + 1);
    // The child sent Claire's notification itself, through SMTP_URL, before it exited.
    await w.smtp.waitForMail((m) => m.to.includes(claire.email) && m.text.includes("Reçu par le tuyau du serveur de mail."), 10_000);
  });

  test("a mail over 1 MiB on standard input: exit 65, nothing stored", { timeout: 90_000 }, async () => {
    const before = await stored();
    const raw = Buffer.concat([await rawReply("Trop gros."), Buffer.alloc(1024 * 1024, "x")]);
    const result = await receive(raw, { sender: julien.email, recipient: julienAddress });
    expect(result.code, result.err).toBe(65);
    expect(await stored()).toEqual(before);
  });
});
