/**
 * Safety check for user regexes (RegexReplace parser, `regex` validation rules, JSONata customs).
 *
 * Why this exists: JavaScript regexes backtrack; a pattern like `(a+)+$` on a long input can hang the
 * worker. We reject the constructs that cause exponential backtracking — a group with an inner
 * quantifier or alternation that is itself repeated (`(a+)+`, `(a|ab)*`, `(x{2,}){3,}`) and
 * backreferences; adjacent repeats that can match the same characters (`\d+\d+`, `.*,.*`) — and cap
 * pattern and input length (remaining polynomial cases, e.g. inside separate groups, stay bounded by it).
 * CHOICE: conservative; `(a|b)+` must be written `[ab]+`.
 */
import { MappingError } from "./errors";
import type { Limits } from "./limits";

interface Frame {
  quant: boolean;
  alt: boolean;
  /** index of the group's "(" (for the root: -1) */
  start?: number;
  /** a lookaround: zero-width, compared as nothing */
  look?: boolean;
}

const BIG_REPEAT = 16;

/** Reads a quantifier at i; returns [length, unbounded] or null. */
function quantAt(p: string, i: number): [number, boolean] | null {
  const c = p[i];
  let len = 0;
  let unbounded = false;
  if (c === "*" || c === "+") {
    len = 1;
    unbounded = true;
  } else if (c === "?") len = 1;
  else if (c === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i, i + 24));
    if (!m) return null;
    len = m[0].length;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Infinity : Number(m[3]);
    unbounded = max > BIG_REPEAT;
  } else return null;
  if (p[i + len] === "?" || p[i + len] === "+") len++; // lazy / possessive marker
  return [len, unbounded];
}

export function compileSafeRegex(pattern: string, flags: string, limits: Limits): RegExp {
  if (pattern.length > limits.maxRegexPatternLength)
    throw new MappingError("REGEX_UNSAFE", `正则长度 ${pattern.length} 超过上限 ${limits.maxRegexPatternLength}`);
  if (!/^[gimsuy]*$/.test(flags)) throw new MappingError("REGEX_UNSAFE", `正则标志 '${flags}' 无效`);
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags);
  } catch (e) {
    throw new MappingError("REGEX_UNSAFE", `无效正则 /${pattern}/: ${e instanceof Error ? e.message : String(e)}`);
  }
  assertSafePattern(pattern, flags);
  return re;
}

interface Atom {
  /** source of the atom, or null for a group (opaque) */
  src: string | null;
  unbounded: boolean;
  optional: boolean;
}

const BASE_PROBES = ["0", "5", "9", "a", "z", "A", "Z", "_", " ", "\t", "\n", "-", ".", ",", "/", ":", ";", "@", "#", "'", '"', "(", ")", "中", "文", "，", "😀", "\u3000"];

function atomMatcher(src: string, flags: string): (ch: string) => boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${src})$`, flags);
  } catch {
    return () => true;
  }
  return (ch) => re.test(ch);
}

/**
 * Adjacent repeated atoms that can match the same characters (`\d+\d+`, `.*,.*`, `\s*\s*$`) backtrack
 * polynomially; reject them unless a mandatory atom that matches none of the first's characters
 * separates them.
 * Character sets are compared on probe characters (a sample incl. every literal of the pattern).
 */
function checkSequence(seq: Atom[], probes: string[], flags: string, unsafe: (why: string) => MappingError): void {
  const sets = seq.map((a) => {
    if (a.src === null) return null;
    const m = atomMatcher(a.src, flags);
    return new Set(probes.filter((p) => m(p)));
  });
  for (let i = 0; i < seq.length; i++) {
    const si = sets[i];
    if (!seq[i].unbounded || !si) continue;
    for (let j = i + 1; j < seq.length; j++) {
      const sj = sets[j];
      if (!sj) break;
      const overlap = [...sj].some((c) => si.has(c));
      if (seq[j].unbounded && overlap) throw unsafe("相邻的重复量词可匹配相同字符");
      // a mandatory atom the first cannot match ends its run: what follows cannot re-split it. One that
      // can match the same characters (`a+[^,]a+`) does not — the scan goes on (cubic on a global replace)
      if (!seq[j].optional && ![...sj].some((c) => si.has(c))) break;
    }
  }
}

export function assertSafePattern(pattern: string, flags = ""): void {
  const probeFlags = flags.includes("i") ? "iu" : "u";
  const probes = [...new Set([...BASE_PROBES, ...Array.from(pattern.replace(/\\./g, "")).filter((c) => !"[](){}|*+?^$.\\".includes(c))])];
  const stack: (Frame & { seq: Atom[] })[] = [{ quant: false, alt: false, seq: [] }];
  const unsafe = (why: string) => new MappingError("REGEX_UNSAFE", `正则 /${pattern}/ 可能导致灾难性回溯（${why}），请改写`);
  const flush = (f: { seq: Atom[] }) => {
    checkSequence(f.seq, probes, probeFlags, unsafe);
    f.seq = [];
  };
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i];
    const atomStart = i;
    let isGroup = false;
    if (c === "\\") {
      const d = pattern[i + 1] ?? "";
      if (/[1-9]/.test(d) || d === "k") throw unsafe("不支持反向引用");
      if (d === "u" && pattern[i + 2] === "{") {
        const close = pattern.indexOf("}", i);
        i = close < 0 ? n : close + 1;
      } else if (d === "u") i += 6;
      else if (d === "x") i += 4;
      else if (d === "p" || d === "P") {
        const close = pattern.indexOf("}", i);
        i = close < 0 ? n : close + 1;
      } else i += 2;
    } else if (c === "[") {
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < n && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
      i = j + 1;
    } else if (c === "(") {
      const look = pattern[i + 1] === "?" && (pattern[i + 2] === "=" || pattern[i + 2] === "!" || (pattern[i + 2] === "<" && (pattern[i + 3] === "=" || pattern[i + 3] === "!")));
      stack.push({ quant: false, alt: false, seq: [], start: i, look });
      i++;
      if (pattern[i] === "?") {
        // (?: (?= (?! (?<= (?<! (?<name>
        i++;
        if (pattern[i] === "<" && pattern[i + 1] !== "=" && pattern[i + 1] !== "!") {
          const close = pattern.indexOf(">", i);
          i = close < 0 ? n : close + 1;
        } else if (pattern[i] === "<") i += 2;
        else i++;
      }
      continue;
    } else if (c === ")") {
      const f = stack.length > 1 ? stack.pop()! : { quant: false, alt: false, seq: [] };
      flush(f);
      i++;
      isGroup = true;
      const q = quantAt(pattern, i);
      const repeated = q !== null && q[1];
      if (repeated && f.quant) throw unsafe("重复的分组内含量词");
      if (repeated && f.alt) throw unsafe("重复的分组内含选择 |");
      const top = stack[stack.length - 1];
      top.quant = top.quant || f.quant || repeated;
      // a group is compared by what it matches as a whole (`(?:a)+a+` overlaps like `a+a+`); lookarounds match nothing
      const src = f.start !== undefined && !f.look ? pattern.slice(f.start, i) : null;
      top.seq.push({ src, unbounded: repeated, optional: q !== null && /^[*?]|^\{0/.test(pattern.slice(i)) });
      if (q) i += q[0];
      continue;
    } else if (c === "|") {
      const top = stack[stack.length - 1];
      top.alt = true;
      flush(top);
      i++;
      continue;
    } else if (c === "^" || c === "$") {
      i++;
      continue;
    } else {
      // a literal may be a surrogate pair
      i += (pattern.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    }
    if (isGroup) continue;
    const src = pattern.slice(atomStart, i);
    const q = quantAt(pattern, i);
    const top = stack[stack.length - 1];
    if (q) {
      if (q[1]) top.quant = true;
      const qs = pattern.slice(i, i + q[0]);
      top.seq.push({ src, unbounded: q[1], optional: qs[0] === "*" || qs[0] === "?" || qs.startsWith("{0") });
      i += q[0];
    } else top.seq.push({ src, unbounded: false, optional: false });
  }
  for (const f of stack) flush(f);
}

export function assertRegexInput(s: string, limits: Limits): void {
  if (s.length > limits.maxRegexInputLength)
    throw new MappingError("LIMIT", `正则输入长度 ${s.length} 超过上限 ${limits.maxRegexInputLength}`);
}
