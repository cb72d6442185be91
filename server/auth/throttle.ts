/**
 * Sign-in throttling per account and per client address.
 *
 * Why this exists: a password can be guessed only as fast as we let it. After 5 failed sign-ins for one
 * account within 15 minutes, or 20 from one address, further attempts are refused for 15 minutes after
 * the last failure — even with the right password, so a guesser learns nothing while locked.
 * Every attempt is a row in LoginAttempt (keys "email:<e>" and "ip:<ip>").
 */
import type { Db } from "../db";

export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
export const ACCOUNT_MAX_FAILURES = 5;
export const IP_MAX_FAILURES = 20;

export function accountKey(email: string): string {
  return "email:" + email.trim().toLowerCase();
}
export function ipKey(ip: string | null | undefined): string {
  return "ip:" + (ip || "unknown");
}

/** When the key is locked until (or null): the latest failure that completes `max` failures within the window, plus the lock. */
async function lockedUntil(db: Db, key: string, max: number, now: Date, resetOnSuccess: boolean): Promise<Date | null> {
  const since = new Date(now.getTime() - WINDOW_MS - LOCK_MS);
  const rows = await db.loginAttempt.findMany({ where: { key, at: { gte: since } }, orderBy: { at: "asc" }, select: { at: true, ok: true } });
  let failures: number[] = [];
  let until = 0;
  for (const r of rows) {
    if (r.ok) {
      // a correct password for the account ends its run of failures; an address's count is not reset
      if (resetOnSuccess) failures = [];
      continue;
    }
    const t = r.at.getTime();
    failures.push(t);
    if (failures.length >= max && t - failures[failures.length - max] <= WINDOW_MS) until = Math.max(until, t + LOCK_MS);
  }
  return until > now.getTime() ? new Date(until) : null;
}

export interface ThrottleState {
  throttled: boolean;
  retryAfterSec: number;
}

export async function checkThrottle(db: Db, email: string, ip: string | null | undefined, now = new Date()): Promise<ThrottleState> {
  const [a, b] = await Promise.all([
    lockedUntil(db, accountKey(email), ACCOUNT_MAX_FAILURES, now, true),
    lockedUntil(db, ipKey(ip), IP_MAX_FAILURES, now, false),
  ]);
  const until = Math.max(a?.getTime() ?? 0, b?.getTime() ?? 0);
  return until ? { throttled: true, retryAfterSec: Math.ceil((until - now.getTime()) / 1000) } : { throttled: false, retryAfterSec: 0 };
}

/** Records one attempt under both keys (refused-while-locked attempts are not recorded, so a lock cannot be extended forever). */
export async function recordAttempt(db: Db, email: string, ip: string | null | undefined, ok: boolean, now = new Date()): Promise<void> {
  await db.loginAttempt.createMany({ data: [accountKey(email), ipKey(ip)].map((key) => ({ key, ok, at: now })) });
  // keep the table small: attempts older than a day no longer matter
  if (Math.random() < 0.05) await db.loginAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - 24 * 3600_000) } } });
}
