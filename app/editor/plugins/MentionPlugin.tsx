import type { MenuTextMatch } from "@lexical/react/LexicalTypeaheadMenuPlugin";
import { $createTextNode, type TextNode } from "lexical";
import { $createMentionNode, isUserId } from "../nodes/MentionNode.ts";
import { TypeaheadMenuPlugin, type TypeaheadStatus } from "./TypeaheadMenu.tsx";
import { mentionsUrl } from "#app/urls.ts";

export type MemberSuggestion = { id: string; name: string };

const MAX_WORD = 30;
const MAX_RESULTS = 8;

/**
 * "@" at the start or after a space or "(", followed by up to two words,
 * right before the caret, opens the picker; the text after "@" is the query.
 */
export function matchMentionTrigger(text: string): MenuTextMatch | null {
  const match = new RegExp(`(^|[\\s(])@([^\\s@]{0,${MAX_WORD}}(?: [^\\s@]{0,${MAX_WORD}})?)$`).exec(text);
  if (!match) return null;
  return { leadOffset: match.index + match[1].length, matchingString: match[2], replaceableString: `@${match[2]}` };
}

/** Keeps only well-formed suggestions from the members endpoint's answer. */
export function parseMembers(data: unknown): MemberSuggestion[] {
  const members = (data as { members?: unknown } | null)?.members;
  if (!Array.isArray(members)) return [];
  return members
    .filter(
      (m): m is MemberSuggestion =>
        typeof m === "object" && m !== null && isUserId((m as MemberSuggestion).id) && typeof (m as MemberSuggestion).name === "string" && (m as MemberSuggestion).name.trim() !== "",
    )
    .slice(0, MAX_RESULTS)
    .map((m) => ({ id: m.id, name: m.name.trim() }));
}

/** Two words and nothing found: the "@" was not a mention after all. */
function notAMention({ query, status, count }: { query: string | null; status: TypeaheadStatus; count: number }): boolean {
  return count === 0 && status === "idle" && !!query?.includes(" ");
}

// Already inside editor.update (LexicalMenu calls this from one).
function $insertMention(member: MemberSuggestion, nodeToReplace: TextNode | null) {
  const mention = $createMentionNode(member.id, member.name);
  if (nodeToReplace) nodeToReplace.replace(mention);
  const space = $createTextNode(" ");
  mention.insertAfter(space);
  space.select(1, 1);
}

function renderMember(member: MemberSuggestion) {
  return (
    <>
      <span className="mention-avatar" aria-hidden="true">
        {member.name.slice(0, 1).toUpperCase()}
      </span>
      <span>{member.name}</span>
    </>
  );
}

/**
 * Typing "@" opens a list of the space's members, searched by name as one
 * types (GET /spaces/<slug>/members/mentions?q=…); choosing one inserts a
 * MentionNode "@Name" and a space.
 */
export function MentionPlugin({ spaceSlug }: { spaceSlug: string }) {
  return (
    <TypeaheadMenuPlugin<MemberSuggestion>
      endpoint={mentionsUrl(spaceSlug)}
      parse={parseMembers}
      debounceMs={120}
      triggerFn={matchMentionTrigger}
      onSelect={$insertMention}
      messages="mentions"
      className="typeahead mention-menu"
      renderItem={renderMember}
      hideWhen={notAMention}
    />
  );
}
