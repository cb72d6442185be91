/**
 * The server's first line for app pages: a page request without the session cookie is redirected to
 * /sign-in?next=… before any of the app is sent. Whether the session is valid is decided by the API
 * (every procedure) and, in the browser, by the session gate (components/auth/session.tsx), which also
 * catches a cookie that has expired or been revoked.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { signInHref } from "@/components/auth/redirect";

/** The session cookie's name (issue #16 contract). */
export const SESSION_COOKIE = "shuqiao_session";

type SearchParams = Record<string, string | string[] | undefined>;

export async function requireSessionCookie(path: string, searchParams?: Promise<SearchParams>): Promise<void> {
  if ((await cookies()).has(SESSION_COOKIE)) return;
  let query = "";
  if (searchParams) {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(await searchParams)) for (const x of [v].flat()) if (x !== undefined) sp.append(k, x);
    query = sp.size ? `?${sp.toString()}` : "";
  }
  redirect(signInHref(path + query));
}
