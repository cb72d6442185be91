/**
 * Reads a value at a dotted path ("result.next_cursor", "0.0.Result.ResponseStatus").
 *
 * Why this exists: definitions point into responses with paths; one tiny, predictable reader (numeric
 * segments index arrays, "" is the root) keeps definitions free of code.
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === "" || path === ".") return value;
  let cur: unknown = value;
  for (const seg of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) {
      const i = Number(seg);
      cur = Number.isInteger(i) ? cur[i] : undefined;
    } else if (typeof cur === "object") {
      cur = (cur as Record<string, unknown>)[seg];
    } else {
      return undefined;
    }
  }
  return cur;
}
