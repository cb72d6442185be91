/**
 * Password hashing: scrypt from Node's crypto with a random per-user salt, compared in constant time.
 *
 * Why this exists: the users table must be worthless to whoever copies it. The stored form is
 * "scrypt$N$r$p$salt$hash" (salt and hash base64), so the cost can be raised later without breaking the
 * hashes already stored — each is verified with its own parameters.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { DomainError } from "../errors";

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize("NFC"), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * CHOICE: N=2^15, r=8, p=1 (32 MiB, ≈50–100 ms here). OWASP's floor is N=2^17, but that costs 128 MiB and
 * ≈0.3 s per sign-in on the 2-core machines we target; sign-in is throttled per account and per IP, and
 * the parameters live in each hash, so an operator's future raise applies to new and reset passwords.
 */
const PARAMS = { N: 1 << 15, r: 8, p: 1 };
const KEYLEN = 32;
const maxmem = (N: number, r: number) => 128 * N * r * 2;

export const MIN_PASSWORD_LENGTH = 10;
/** upper bound so a huge "password" cannot be used to burn CPU */
export const MAX_PASSWORD_LENGTH = 256;

/** Throws a BAD_REQUEST DomainError saying what is wrong with a new password. */
export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new DomainError("BAD_REQUEST", `密码至少 ${MIN_PASSWORD_LENGTH} 个字符 (password must be at least ${MIN_PASSWORD_LENGTH} characters)`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new DomainError("BAD_REQUEST", `密码最多 ${MAX_PASSWORD_LENGTH} 个字符 (password must be at most ${MAX_PASSWORD_LENGTH} characters)`);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = PARAMS;
  const hash = await scrypt(password, salt, KEYLEN, { N, r, p, maxmem: maxmem(N, r) });
  return ["scrypt", N, r, p, salt.toString("base64"), hash.toString("base64")].join("$");
}

/** A hash of nothing, verified against when the account does not exist so both paths take the same time. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(18).toString("base64")));
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const target = stored ?? (await dummyHash());
  const parts = target.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4], "base64");
  const expected = Buffer.from(parts[5], "base64");
  if (password.length > MAX_PASSWORD_LENGTH || expected.length === 0) return false;
  const actual = await scrypt(password, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(actual, expected) && stored != null;
}
