/**
 * Secret redaction for everything the connector layer reports, logs or puts in an error.
 *
 * Why this exists: signatures, session keys, app secrets, access tokens, passwords and cookies must
 * never reach a log line, a call report, a run event or an error message. Two nets: by key name
 * (anything called sign/secret/token/password/cookie…) and by value (every known secret string,
 * including ones learnt at run time such as access tokens and session ids).
 */

const SECRET_KEY = /(sign|secret|sessionkey|session_?id|token|password|passwd|pwd|cookie|authorization|appsecret|signature|x-kd-appdata)/i;
export const MASK = "***";

export class Redactor {
  private readonly values = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const v of initial) this.add(v);
  }

  /** Remembers a secret value (ignores very short strings, which would mask ordinary text). */
  add(value: string | undefined | null): void {
    if (typeof value === "string" && value.length >= 4) this.values.add(value);
  }

  isSecretKey(key: string): boolean {
    return SECRET_KEY.test(key);
  }

  text(input: string): string {
    let out = input;
    for (const v of this.values) {
      if (out.includes(v)) out = out.split(v).join(MASK);
      const enc = encodeURIComponent(v);
      if (enc !== v && out.includes(enc)) out = out.split(enc).join(MASK);
    }
    // query strings / form bodies: key=value pairs with secret-looking keys
    return out.replace(/([?&;\s]|^)([\w.-]+)=([^&;\s]*)/g, (m, pre: string, k: string) =>
      SECRET_KEY.test(k) ? `${pre}${k}=${MASK}` : m,
    );
  }

  url(input: string): string {
    return this.text(input);
  }

  /** Deep copy with secret-named keys masked and secret values replaced. */
  value<T>(input: T, depth = 0): T {
    if (depth > 12) return input;
    if (typeof input === "string") return this.text(input) as T;
    if (Array.isArray(input)) return input.map((x) => this.value(x, depth + 1)) as T;
    if (input && typeof input === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
        out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== "object" ? MASK : this.value(v, depth + 1);
      }
      return out as T;
    }
    return input;
  }
}
