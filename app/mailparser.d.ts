// mailparser ships no types and @types/mailparser is not installed: what the app (app/mail/replies.server.ts)
// and the tests use of it.
declare module "mailparser" {
  import type { Readable } from "node:stream";

  export interface AddressObject {
    value: Array<{ address?: string; name: string }>;
    text: string;
  }

  export interface Attachment {
    filename?: string;
    contentType: string;
    size: number;
    /** An inline part the HTML refers to (cid:), such as a signature's logo. */
    related?: boolean;
  }

  export interface ParsedMail {
    subject?: string;
    from?: AddressObject;
    to?: AddressObject | AddressObject[];
    cc?: AddressObject | AddressObject[];
    replyTo?: AddressObject;
    /** The text part, or the HTML part written out as text when there is no text part. */
    text?: string;
    html: string | false;
    headers: Map<string, unknown>;
    /** Every header as it came: its lower-cased name and its whole line ("Name: value"). */
    headerLines: Array<{ key: string; line: string }>;
    attachments: Attachment[];
  }

  export interface ParserOptions {
    skipImageLinks?: boolean;
    skipTextToHtml?: boolean;
    skipHtmlToText?: boolean;
    skipTextLinks?: boolean;
  }

  export function simpleParser(source: Readable | Buffer | string, options?: ParserOptions): Promise<ParsedMail>;
}
