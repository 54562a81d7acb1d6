import {
  $applyNodeReplacement,
  $getDocument,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalNode,
  type NodeKey,
  nodeSchema,
  type SerializedTextNode,
  type Spread,
  stringValue,
  TextNode,
  withField,
} from "lexical";

/** Serialized as a text node {type:"mention", userId, text:"@Name", …}. */
export type SerializedMentionNode = Spread<{ userId: string }, SerializedTextNode>;

export const MENTION_CLASS = "mention";

/** Our random ids (db/ids.ts): lower-case base32. */
const USER_ID_PATTERN = /^[a-z0-9]{10,40}$/;

export function isUserId(value: unknown): value is string {
  return typeof value === "string" && USER_ID_PATTERN.test(value);
}

const mentionSchema = nodeSchema<MentionNode>()({
  userId: withField(stringValue(), { field: "__userId" }),
});

/**
 * "@Display Name" in a comment, naming a member by id. It is one token
 * (the caret steps over it, Backspace removes it whole). Its text is the
 * name at the time it was picked; who is notified is decided on the server
 * from the id, never from the text. Exported to HTML as
 * <span class="mention" data-user-id="…">@Name</span>.
 */
export class MentionNode extends TextNode {
  /** @internal */
  __userId: string;

  $config() {
    return this.config("mention", { extends: TextNode, json: mentionSchema });
  }

  constructor(userId: string = "", text: string = "", key?: NodeKey) {
    super(text, key);
    this.__userId = userId;
  }

  getUserId(): string {
    return this.getLatest().__userId;
  }

  createDOM(config: EditorConfig): HTMLElement {
    const dom = super.createDOM(config);
    dom.classList.add(MENTION_CLASS);
    dom.setAttribute("data-user-id", this.__userId);
    return dom;
  }

  exportDOM(): DOMExportOutput {
    const span = $getDocument().createElement("span");
    span.className = MENTION_CLASS;
    span.setAttribute("data-user-id", this.__userId);
    span.textContent = this.getTextContent();
    return { element: span };
  }

  isTextEntity(): true {
    return true;
  }

  canInsertTextBefore(): false {
    return false;
  }

  canInsertTextAfter(): false {
    return false;
  }
}

export function $createMentionNode(userId: string, name: string): MentionNode {
  const node = new MentionNode(userId, `@${name}`);
  node.setMode("token").toggleDirectionless();
  return $applyNodeReplacement(node);
}

export function $isMentionNode(node: LexicalNode | null | undefined): node is MentionNode {
  return node instanceof MentionNode;
}
