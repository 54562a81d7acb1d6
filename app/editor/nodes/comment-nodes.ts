import { AutoLinkNode, LinkNode } from "@lexical/link";
import type { Klass, LexicalNode } from "lexical";
import { MentionNode } from "./MentionNode.ts";

/**
 * The light node list of comments, for the browser's comment editor and the
 * server's comment profile alike: paragraphs, line breaks and text (built
 * in), links and autolinks, mentions. Headings, lists, quotes, code blocks,
 * tables, images and page links are refused in a comment.
 */
export const COMMENT_NODES: ReadonlyArray<Klass<LexicalNode>> = [LinkNode, AutoLinkNode, MentionNode];

/** Text formats a comment keeps: bold 1, italic 2, strikethrough 4, inline code 16. Others are dropped. */
export const COMMENT_TEXT_FORMATS = 1 | 2 | 4 | 16;

export { MentionNode };
export { $createMentionNode, $isMentionNode, isUserId, MENTION_CLASS, type SerializedMentionNode } from "./MentionNode.ts";
