/**
 * A small JSON parser that keeps key order and number lexemes, and a compact re-serialiser.
 *
 * Why this exists: Guanyi signs `secret + compact JSON (received key order, non-ASCII unescaped)
 * + secret`. Re-serialising with JSON.parse/JSON.stringify would move integer-like keys to the
 * front and rewrite numbers like `1.0` or `1e2`, producing false sign mismatches for clients
 * (e.g. Python's json.dumps) that are correct. This keeps the received text's structure.
 */

export type OJ =
  | { t: "obj"; entries: [string, OJ][] }
  | { t: "arr"; items: OJ[] }
  | { t: "str"; v: string }
  | { t: "num"; raw: string }
  | { t: "lit"; raw: "true" | "false" | "null" };

export class OrderedJsonError extends Error {}

export function parseOrdered(text: string): OJ {
  let pos = 0;
  const ws = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };
  const fail = (msg: string): never => {
    throw new OrderedJsonError(`${msg} at ${pos}`);
  };
  const str = (): string => {
    // reuse JSON.parse for escapes on the exact string token
    const start = pos;
    pos++;
    while (pos < text.length) {
      const c = text[pos];
      if (c === "\\") pos += 2;
      else if (c === '"') break;
      else pos++;
    }
    if (pos >= text.length) fail("unterminated string");
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (depth: number): OJ => {
    if (depth > 200) fail("nesting too deep");
    ws();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const entries: [string, OJ][] = [];
      ws();
      if (text[pos] === "}") {
        pos++;
        return { t: "obj", entries };
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail("expected key");
        const k = str();
        ws();
        if (text[pos] !== ":") fail("expected :");
        pos++;
        entries.push([k, value(depth + 1)]);
        ws();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return { t: "obj", entries };
        }
        fail("expected , or }");
      }
    }
    if (c === "[") {
      pos++;
      const items: OJ[] = [];
      ws();
      if (text[pos] === "]") {
        pos++;
        return { t: "arr", items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return { t: "arr", items };
        }
        fail("expected , or ]");
      }
    }
    if (c === '"') return { t: "str", v: str() };
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos, pos + 64));
    if (m) {
      pos += m[0].length;
      return { t: "num", raw: m[0] };
    }
    for (const lit of ["true", "false", "null"] as const) {
      if (text.startsWith(lit, pos)) {
        pos += lit.length;
        return { t: "lit", raw: lit };
      }
    }
    return fail("unexpected token");
  };
  const v = value(0);
  ws();
  if (pos !== text.length) fail("trailing characters");
  return v;
}

/** Compact serialisation; non-ASCII kept as is, `/` not escaped (like Python's json.dumps). */
export function stringifyOrdered(v: OJ): string {
  switch (v.t) {
    case "obj":
      return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${stringifyOrdered(x)}`).join(",")}}`;
    case "arr":
      return `[${v.items.map(stringifyOrdered).join(",")}]`;
    case "str":
      return JSON.stringify(v.v);
    case "num":
    case "lit":
      return v.raw;
  }
}

/** Plain JS value of an ordered node. */
export function toPlain(v: OJ): unknown {
  switch (v.t) {
    case "obj": {
      const o: Record<string, unknown> = {};
      for (const [k, x] of v.entries) o[k] = toPlain(x);
      return o;
    }
    case "arr":
      return v.items.map(toPlain);
    case "str":
      return v.v;
    case "num":
      return Number(v.raw);
    case "lit":
      return v.raw === "true" ? true : v.raw === "false" ? false : null;
  }
}
