/**
 * What a rich-text field arrives as, made text: a posted string as it is, an
 * already parsed object as its JSON. Free of Lexical, so the main thread
 * answers "empty" and "malformed" input without loading the editor
 * (content-pool.server.ts); content.server.ts checks the text further.
 */
export type InputRefusal = { error: "empty" | "malformed"; detail?: string };

export function inputText(raw: unknown): string | InputRefusal {
  if (raw === null || raw === undefined) return { error: "empty" };
  if (typeof raw === "string") return raw;
  if (typeof raw !== "object") return { error: "malformed", detail: "not a JSON document" };
  let source: string | undefined;
  try {
    source = JSON.stringify(raw);
  } catch {
    return { error: "malformed", detail: "not serialisable" };
  }
  return source === undefined ? { error: "malformed" } : source;
}
