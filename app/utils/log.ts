/**
 * Text from users — names, titles, subjects, addresses, file names — written
 * to the console or a log goes through here. Operators read links on that
 * console (reset and invitation links, when no SMTP server is set): a name
 * holding CR/LF could otherwise print a forged line such as a link of its
 * own, and escape sequences could rewrite the terminal. Control characters
 * (C0, DEL, C1) and the Unicode line and paragraph separators come out as
 * JSON-style escapes, and backslashes doubled, so every escape in a log line
 * stands for a character that was really there.
 */
export function logText(value: unknown): string {
  return String(value).replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

/** A template tag for log lines: every value put in it goes through logText(), the template's own text does not. */
export function logLine(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((line, part, i) => line + part + (i < values.length ? logText(values[i]) : ""), "");
}

/**
 * A structured log line: an event then key=value pairs, one line whatever the
 * values hold (each goes through logText; one with a space, a quote or an
 * equals sign is quoted), so a log reader can split it without guessing.
 */
export function logRecord(event: string, fields: Record<string, string | number | boolean | null | undefined>): string {
  const parts = [logText(event)];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = logText(value);
    // logText has doubled backslashes already, so \" can only be an escaped quote.
    parts.push(`${key}=${/[\s="]/.test(text) || text === "" ? `"${text.replace(/"/g, '\\"')}"` : text}`);
  }
  return parts.join(" ");
}
