/** A person's initials in a circle: no uploaded images yet, and none needed to tell people apart. */
export function Avatar({ name, size }: { name: string; size?: "large" }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("");
  return (
    <span className={`avatar${size === "large" ? " avatar-lg" : ""}`} aria-hidden="true">
      {initials}
    </span>
  );
}
