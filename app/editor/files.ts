/**
 * What the editor needs from the space's files, given by the page that hosts
 * it (the wiki, the blog): a search and an upload. The editor itself knows no
 * routes, so the same toolbar serves every kind of content.
 */

/** One file of the space, as the picker shows it and the content names it. */
export interface PickedFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  folder: string | null;
  /** A small preview (images only), or null. */
  thumbnail: string | null;
  /** Where an image of this file loads from (/files/:id/inline). */
  src: string;
  /** Where a link to this file goes (/files/:id). */
  href: string;
}

export type FileKind = "image" | "any";

export interface EditorFiles {
  /** Live files of the space, newest first; `query` filters on the name. */
  search(query: string, kind: FileKind, signal: AbortSignal): Promise<PickedFile[]>;
  /** Stores a new file in the space's files and answers it once it is complete. */
  upload(file: File, onProgress: (sent: number, total: number) => void, signal: AbortSignal): Promise<PickedFile>;
}

/** A refusal the host can explain: a message key of the i18n catalogue and its parameters. */
export class UploadRefused extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string> = {},
  ) {
    super(key);
    this.name = "UploadRefused";
  }
}
