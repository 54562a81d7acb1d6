import type { Executor } from "../client.ts";

/** What a result needs to link to itself: slugs of pages and articles, what a comment is on, a message's conversation. */
export interface ResultFacts {
  pageSlugs: Map<string, string>;
  postSlugs: Map<string, string>;
  comments: Map<string, { kind: "page" | "post" | "workshop" | "ask"; id: string; slug: string }>;
  messages: Map<string, string>;
  names: Map<string, string>;
  /** The other members of each conversation, by name. */
  conversationNames: Map<string, string[]>;
}

export async function resultFacts(
  db: Executor,
  ids: { page: string[]; post: string[]; comment: string[]; message: string[]; authors: string[] },
  viewerId: string,
): Promise<ResultFacts> {
  const none = Promise.resolve([]);
  const [pages, posts, comments, messages, names] = await Promise.all([
    ids.page.length ? db.selectFrom("page").select(["id", "slug"]).where("id", "in", ids.page).execute() : none,
    ids.post.length ? db.selectFrom("post").select(["id", "slug"]).where("id", "in", ids.post).execute() : none,
    ids.comment.length
      ? db
          .selectFrom("comment")
          .leftJoin("page", "page.id", "comment.page_id")
          .leftJoin("post", "post.id", "comment.post_id")
          .select(["comment.id", "comment.page_id", "page.slug as page_slug", "comment.post_id", "post.slug as post_slug", "comment.workshop_id", "comment.ask_id"])
          .where("comment.id", "in", ids.comment)
          .execute()
      : none,
    ids.message.length ? db.selectFrom("message").select(["id", "conversation_id"]).where("id", "in", ids.message).execute() : none,
    ids.authors.length ? db.selectFrom("user").select(["id", "display_name"]).where("id", "in", ids.authors).execute() : none,
  ]);
  const facts: ResultFacts = {
    pageSlugs: new Map(pages.map((p) => [p.id, p.slug])),
    postSlugs: new Map(posts.map((p) => [p.id, p.slug])),
    comments: new Map(),
    messages: new Map(messages.map((m) => [m.id, m.conversation_id])),
    names: new Map(names.map((u) => [u.id, u.display_name])),
    conversationNames: new Map(),
  };
  for (const c of comments) {
    if (c.page_id && c.page_slug) facts.comments.set(c.id, { kind: "page", id: c.page_id, slug: c.page_slug });
    else if (c.post_id && c.post_slug) facts.comments.set(c.id, { kind: "post", id: c.post_id, slug: c.post_slug });
    else if (c.workshop_id) facts.comments.set(c.id, { kind: "workshop", id: c.workshop_id, slug: c.workshop_id });
    else if (c.ask_id) facts.comments.set(c.id, { kind: "ask", id: c.ask_id, slug: c.ask_id });
  }
  const conversations = [...new Set(facts.messages.values())];
  if (conversations.length) {
    const members = await db
      .selectFrom("conversation_member")
      .innerJoin("user", "user.id", "conversation_member.user_id")
      .select(["conversation_member.conversation_id", "user.display_name"])
      .where("conversation_member.conversation_id", "in", conversations)
      .where("conversation_member.user_id", "!=", viewerId)
      .orderBy("user.display_name")
      .execute();
    for (const m of members) facts.conversationNames.set(m.conversation_id, [...(facts.conversationNames.get(m.conversation_id) ?? []), m.display_name]);
  }
  return facts;
}

/** A member's name, for the author filter's label. */
export async function memberName(db: Executor, id: string): Promise<string | null> {
  const row = await db.selectFrom("user").select("display_name").where("id", "=", id).executeTakeFirst();
  return row?.display_name ?? null;
}
