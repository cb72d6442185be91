/**
 * Safety check for user regexes (RegexReplace parser, `regex` validation rules, JSONata customs).
 *
 * Why this exists: JavaScript regexes backtrack; a pattern like `(a+)+$` on a long input can hang the
 * worker. We reject the constructs that cause exponential backtracking — a group with an inner
 * quantifier or alternation that is itself repeated (`(a+)+`, `(a|ab)*`, `(x{2,}){3,}`) and
 * backreferences — and cap pattern and input length (polynomial cases stay bounded by that cap).
 * CHOICE: conservative; `(a|b)+` must be written `[ab]+`.
 */
import { MappingError } from "./errors";
import type { Limits } from "./limits";

interface Frame {
  quant: boolean;
  alt: boolean;
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
  assertSafePattern(pattern);
  return re;
}

export function assertSafePattern(pattern: string): void {
  const stack: Frame[] = [{ quant: false, alt: false }];
  const unsafe = (why: string) => new MappingError("REGEX_UNSAFE", `正则 /${pattern}/ 可能导致灾难性回溯（${why}），请改写`);
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i];
    if (c === "\\") {
      const d = pattern[i + 1] ?? "";
      if (/[1-9]/.test(d) || d === "k") throw unsafe("不支持反向引用");
      i += 2;
    } else if (c === "[") {
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < n && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
      i = j + 1;
    } else if (c === "(") {
      stack.push({ quant: false, alt: false });
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
      const f = stack.length > 1 ? stack.pop()! : { quant: false, alt: false };
      i++;
      const q = quantAt(pattern, i);
      const repeated = q !== null && q[1];
      if (repeated && f.quant) throw unsafe("重复的分组内含量词");
      if (repeated && f.alt) throw unsafe("重复的分组内含选择 |");
      const top = stack[stack.length - 1];
      top.quant = top.quant || f.quant || repeated;
      if (q) i += q[0];
      continue;
    } else if (c === "|") {
      stack[stack.length - 1].alt = true;
      i++;
      continue;
    } else i++;
    const q = quantAt(pattern, i);
    if (q) {
      if (q[1]) stack[stack.length - 1].quant = true;
      i += q[0];
    }
  }
}

export function assertRegexInput(s: string, limits: Limits): void {
  if (s.length > limits.maxRegexInputLength)
    throw new MappingError("LIMIT", `正则输入长度 ${s.length} 超过上限 ${limits.maxRegexInputLength}`);
}
