/**
 * The network logo's stored key and address, pure: the root loader, the
 * console and the route that serves it read them. The key is
 * "network/logo-<id>.webp"; the address /network/logo/<id>, a new one with
 * each new logo, so it is cached for good.
 */
const KEY = /^network\/logo-([a-z0-9]{10,40})\.webp$/;

export function logoKey(id: string): string {
  if (!/^[a-z0-9]{10,40}$/.test(id)) throw new Error("invalid logo id");
  return `network/logo-${id}.webp`;
}

export function logoIdOf(key: string | null): string | null {
  return key ? (KEY.exec(key)?.[1] ?? null) : null;
}

export const logoUrl = (id: string) => `/network/logo/${id}`;

/** The address of a stored logo, or null for a key that is not one. */
export function logoAddress(key: string | null): string | null {
  const id = logoIdOf(key);
  return id ? logoUrl(id) : null;
}
