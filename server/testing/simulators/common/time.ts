/**
 * China-time (UTC+8, no DST) formatting and parsing shared by the simulators.
 *
 * Why this exists: all three vendors speak local Beijing time as `yyyy-MM-dd HH:mm:ss` strings
 * without an offset; the simulators must produce and parse them identically whatever the TZ of
 * the machine running them.
 */

const CST_OFFSET_MS = 8 * 3600 * 1000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** `yyyy-MM-dd HH:mm:ss` in UTC+8. */
export function formatCst(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `yyyy-MM-ddTHH:mm:ss` in UTC+8 (Kingdee's query/View datetime rendering). */
export function formatCstIso(ms: number): string {
  return formatCst(ms).replace(" ", "T");
}

/** `yyyy-MM-dd` in UTC+8. */
export function formatCstDate(ms: number): string {
  return formatCst(ms).slice(0, 10);
}

/** `yyyyMMddHHmm` in UTC+8 (DingTalk business_id prefix). */
export function compactCst(ms: number): string {
  return formatCst(ms).replace(/[-: ]/g, "").slice(0, 12);
}

/**
 * Parses `yyyy-M-d[ H:m[:s]]` (padded or not, `T` or space separator) as UTC+8.
 * Returns NaN when the string is not such a date.
 */
export function parseCst(text: string): number {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?\s*$/.exec(text);
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s) - CST_OFFSET_MS;
}
