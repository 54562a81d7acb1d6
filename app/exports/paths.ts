/**
 * Names inside the zip. A file's name, a folder's and a club's are what
 * members typed: anything may be in them (slashes, "..", control characters,
 * a name Windows refuses). Each becomes one safe segment, and two files that
 * end up with the same path get " (2)", " (3)"… so none is lost.
 */

const MAX_SEGMENT = 120;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** One path segment from any text: never empty, never ".." or hidden, no separators or control characters. */
export function entryName(text: string): string {
  let name = text
    .normalize("NFC")
    // Separators, characters Windows forbids in names, and control characters.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    // A leading dot would hide it (or make "." / ".."); trailing dots and spaces Windows drops.
    .replace(/^\.+/, "")
    .replace(/[. ]+$/, "");
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if ([...name].length > MAX_SEGMENT) {
    const { stem, ext } = splitExtension(name);
    const keep = Math.max(1, MAX_SEGMENT - [...ext].length);
    name = [...stem].slice(0, keep).join("").trim() + ext;
  }
  return name || "_";
}

export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf(".");
  // ".bashrc" has no extension, "archive." neither; an "extension" of 12 characters or more is part of the name.
  if (dot <= 0 || dot === name.length - 1 || name.length - dot > 12) return { stem: name, ext: "" };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/** Where one file version goes: top/club/folders…/name, an older version named "name (version N).ext". */
export function fileEntryPath(input: { top: string; club: string; folders: string[]; name: string; version: number | null }): string {
  let name = entryName(input.name);
  if (input.version !== null) {
    const { stem, ext } = splitExtension(name);
    name = `${stem} (version ${input.version})${ext}`;
  }
  return [input.top, entryName(input.club), ...input.folders.map(entryName), name].join("/");
}

/** The same paths, each made unique by " (2)", " (3)"… before the extension; case is ignored, as on most disks. */
export function uniquePaths(paths: string[]): string[] {
  const taken = new Set<string>();
  return paths.map((path) => {
    let candidate = path;
    const slash = path.lastIndexOf("/");
    const { stem, ext } = splitExtension(path.slice(slash + 1));
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${path.slice(0, slash + 1)}${stem} (${n})${ext}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
