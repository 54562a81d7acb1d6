/**
 * How deep a JSON text nests, read character by character without parsing
 * it. JSON.parse itself copes with any depth, but whatever then walks the
 * result recursively — a reviver, Lexical's importJSON, React — overflows the
 * stack on a document 100,000 levels deep; this check runs first, in a loop,
 * and stops at the first level past the limit.
 */
export function jsonDepthExceeds(source: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * JSON levels a Lexical document needs for nodes `nodeDepth` deep: the
 * document and its root, then an object and a `children` array per level,
 * and a few more for a node's own properties.
 */
export function lexicalJsonDepth(nodeDepth: number): number {
  return 2 * nodeDepth + 8;
}

/** The deepest document any editor is given to load (the page profile allows nodes 40 deep). */
export const EDITOR_MAX_JSON_DEPTH = lexicalJsonDepth(40);
