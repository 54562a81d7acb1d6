/**
 * Turns a policy's answer into the HTTP answer. `hide` is for things whose
 * very existence is private (a secret space): outsiders get 404, not 403.
 */
export function authorize(allowed: boolean, options: { hide?: boolean } = {}): asserts allowed {
  if (!allowed) {
    throw new Response(options.hide ? "Not Found" : "Forbidden", { status: options.hide ? 404 : 403 });
  }
}
