// mailparser ships no types and @types/mailparser is not installed: the little the tests use.
declare module "mailparser" {
  import type { Readable } from "node:stream";

  export interface AddressObject {
    value: Array<{ address?: string; name: string }>;
    text: string;
  }

  export interface ParsedMail {
    subject?: string;
    from?: AddressObject;
    to?: AddressObject | AddressObject[];
    text?: string;
    html: string | false;
    headers: Map<string, unknown>;
    /** Every header as it came: its lower-cased name and its whole line ("Name: value"). */
    headerLines: Array<{ key: string; line: string }>;
    attachments: Array<{ filename?: string; contentType: string; size: number }>;
  }

  export function simpleParser(source: Readable | Buffer | string): Promise<ParsedMail>;
}
