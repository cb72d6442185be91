/**
 * Where the browser goes when it is not signed in, and where it may go back to afterwards.
 *
 * Why it exists: the app shell, the tRPC client (any UNAUTHORIZED answer) and the sign-in page must agree
 * on the public pages and on which `next` values are safe — only same-site paths, so a crafted
 * `/sign-in?next=https://evil.example` cannot bounce a user to another site after signing in.
 */

/** Pages that work without a session. */
export const PUBLIC_PATHS = ["/sign-in", "/setup"] as const;

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(p + "/"));
}

export const DEFAULT_AFTER_SIGN_IN = "/flows";

/** A `next` value we will navigate to: a same-origin absolute path, never a public page; otherwise /flows. */
export function safeNext(next: string | null | undefined): string {
  if (!next || typeof next !== "string") return DEFAULT_AFTER_SIGN_IN;
  // "/x" only: not "//host", not "/\host" (browsers treat both as another origin), no scheme, no control chars.
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || /[\u0000-\u001f\\]/.test(next)) return DEFAULT_AFTER_SIGN_IN;
  const path = next.split(/[?#]/, 1)[0];
  if (isPublicPath(path)) return DEFAULT_AFTER_SIGN_IN;
  return next;
}

export function signInHref(next: string): string {
  const target = safeNext(next);
  return target === DEFAULT_AFTER_SIGN_IN && next !== DEFAULT_AFTER_SIGN_IN ? "/sign-in" : `/sign-in?next=${encodeURIComponent(target)}`;
}

/** Leave for the sign-in page, remembering where we were (full navigation: drops every cached query). */
export function goToSignIn(): void {
  if (typeof window === "undefined" || isPublicPath(window.location.pathname)) return;
  window.location.assign(signInHref(window.location.pathname + window.location.search));
}

/** The tRPC error shape (TRPCClientError.data) carries httpStatus and code; anything else is not an auth error. */
function errorData(error: unknown): { httpStatus?: unknown; code?: unknown } | null {
  if (!error || typeof error !== "object" || !("data" in error)) return null;
  const data = (error as { data?: unknown }).data;
  return data && typeof data === "object" ? (data as { httpStatus?: unknown; code?: unknown }) : null;
}

export function isUnauthorized(error: unknown): boolean {
  const d = errorData(error);
  return !!d && (d.httpStatus === 401 || d.code === "UNAUTHORIZED");
}

export function isForbidden(error: unknown): boolean {
  const d = errorData(error);
  return !!d && (d.httpStatus === 403 || d.code === "FORBIDDEN");
}
