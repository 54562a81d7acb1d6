/**
 * Source text in ASCII, every other character written as a \u escape, which
 * means the same character in a string, a template, a regular expression, an
 * identifier or a comment. The one place it reads differently is a tagged
 * template's `.raw`. A character escaped with a backslash (`\–` in a
 * pattern) becomes the escape itself, not a backslash and a `u`.
 */
export function toAscii(source: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const unit = source.charCodeAt(i);
    if (unit < 0x80) continue;
    let end = i;
    let slashes = 0;
    while (end - slashes - 1 >= from && source.charCodeAt(end - slashes - 1) === 0x5c) slashes += 1;
    // An odd run of backslashes escapes this character: the \u escape takes the last one's place.
    if (slashes % 2 === 1) end -= 1;
    out += source.slice(from, end) + `\\u${unit.toString(16).padStart(4, "0")}`;
    from = i + 1;
  }
  return from === 0 ? source : out + source.slice(from);
}
