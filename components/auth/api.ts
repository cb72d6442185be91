/**
 * The browser's calls to the plain-HTTP auth routes (/api/auth/sign-in, /sign-out, /setup; the contract
 * of issue #16). They are not tRPC because scripts use them too and they set or clear the session cookie.
 */
export type AuthAnswer = { status: number; error?: string; retryAfterSec?: number };

export async function postAuth(path: "/api/auth/sign-in" | "/api/auth/sign-out" | "/api/auth/setup", body: unknown): Promise<AuthAnswer> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body ?? {}),
      credentials: "same-origin",
    });
  } catch {
    return { status: 0 };
  }
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    // no JSON body: the status alone says what happened
  }
  const o = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  const header = Number(res.headers.get("retry-after"));
  const retryAfterSec = typeof o.retryAfterSec === "number" ? o.retryAfterSec : Number.isFinite(header) && header > 0 ? header : undefined;
  return { status: res.status, error: typeof o.error === "string" ? o.error : undefined, retryAfterSec };
}

/** Whole minutes to wait, at least 1 (the throttle answers seconds). */
export function minutesToWait(retryAfterSec: number | undefined): number {
  return Math.max(1, Math.ceil((retryAfterSec ?? 15 * 60) / 60));
}

/** Ends the session on the server, then leaves for the sign-in page (a full load clears every cached query). */
export async function signOut(): Promise<void> {
  await postAuth("/api/auth/sign-out", {});
  // a full load on purpose: nothing of the previous user's cached data survives
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign("/sign-in");
}

/** The server refuses shorter passwords (issue #16 contract); the forms say so before sending. */
export const MIN_PASSWORD_LENGTH = 10;
