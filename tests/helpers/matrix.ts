/** The kinds of viewer the authorization suites try every route as, in table order. */
export const ACTORS = ["anon", "outsider", "guest", "member", "editor", "admin", "netAdmin"] as const;
export type ActorName = (typeof ACTORS)[number];
export type SignedInActor = Exclude<ActorName, "anon">;

/** Parses a whitespace-aligned table whose header names the actors, in ACTORS order. */
export function matrix<V extends string>(text: string, values: readonly V[]) {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const header = lines[0].split(/\s+/).slice(1);
  if (header.join(" ") !== ACTORS.join(" ")) throw new Error(`Bad matrix header: ${lines[0]}`);
  return lines.slice(1).map((line) => {
    const [key, ...cells] = line.split(/\s+/);
    if (cells.length !== ACTORS.length) throw new Error(`Bad matrix row: ${line}`);
    for (const cell of cells) if (!values.includes(cell as V)) throw new Error(`Bad cell ${cell} in row: ${line}`);
    return { key, cells: Object.fromEntries(ACTORS.map((a, i) => [a, cells[i] as V])) as Record<ActorName, V> };
  });
}
