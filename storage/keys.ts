/**
 * Object keys are made by the server only, from ids it generated: nothing a
 * user typed (a file name, a path) ever becomes part of one.
 */
const ID = /^[a-z0-9]{10,40}$/;

export function wikiImageKey(spaceId: string, imageId: string): string {
  if (!ID.test(spaceId) || !ID.test(imageId)) throw new Error("invalid id for a storage key");
  return `wiki-images/${spaceId}/${imageId}`;
}
