/**
 * Work shared by the loaders of one request. Remix gives each loader its own
 * Request but one load context (server/app.ts makes a fresh one per request),
 * so loaders that pass their context share the session check and the space
 * lookup; called with a Request alone, it is shared within that loader only.
 * Actions pass no context: what they change is never served from before.
 */
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

export function memo<T>(owner: object, key: string, make: () => Promise<T>): Promise<T> {
  let entries = memos.get(owner);
  if (!entries) memos.set(owner, (entries = new Map()));
  let pending = entries.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = make();
    entries.set(key, pending);
  }
  // A thrown Response (a 404, a redirect to sign in) reaches every loader that
  // shared the work, and Remix reads the body of each: each gets its own copy,
  // the original stays unread so it can be copied again.
  return pending.catch((error: unknown) => {
    throw error instanceof Response ? error.clone() : error;
  });
}
