/**
 * A person's photo, or their initials in a circle when they have none (or
 * hide it from this viewer). Decorative: the name is always written beside it.
 */
export function Avatar({ name, size, photoUrl }: { name: string; size?: "large" | "xl"; photoUrl?: string | null }) {
  const className = `avatar${size === "large" ? " avatar-lg" : size === "xl" ? " avatar-xl" : ""}`;
  if (photoUrl) {
    const px = size === "xl" ? 128 : size === "large" ? 40 : 34;
    return <img className={`${className} avatar-photo`} src={photoUrl} alt="" width={px} height={px} loading="lazy" decoding="async" />;
  }
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("");
  return (
    <span className={className} aria-hidden="true">
      {initials}
    </span>
  );
}
