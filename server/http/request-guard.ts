/**
 * Cross-site request refusal for state-changing requests (tRPC mutations, sign-in).
 *
 * Why this exists: the session cookie is SameSite=Lax, but a form on another site, a same-site
 * subdomain or a `text/plain` fetch can still POST to us. A mutation is accepted only when the
 * browser says it comes from our own origin — `Sec-Fetch-Site: same-origin` (or `none`: typed by the
 * user) or an `Origin` naming this host — and only as `application/json`, which no HTML form can send
 * and which a cross-site fetch cannot send without a CORS preflight we never answer.
 * CHOICE: a POST with neither header is refused too (browsers send at least one on every POST);
 * scripts set `Origin: http://<host>:<port>` (the same host they call).
 */

function fail(status: 403 | 415, message: string): Response {
  return new Response(JSON.stringify({ error: message }), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
}

/** host[:port] this request was addressed to (behind a proxy: X-Forwarded-Host). */
function requestHost(req: Request): string {
  const fwd = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = fwd || req.headers.get("host") || new URL(req.url).host;
  return host.toLowerCase();
}

function sameHost(origin: string, host: string): boolean {
  try {
    const o = new URL(origin);
    if (o.protocol !== "http:" && o.protocol !== "https:") return false;
    const h = host.replace(/:(80|443)$/, "");
    return o.host.toLowerCase() === host || o.host.toLowerCase() === h;
  } catch {
    return false;
  }
}

/**
 * Returns a refusal (403 cross-site, 415 not JSON) for an unsafe request that may not proceed, or
 * null. GET/HEAD/OPTIONS pass (queries and subscriptions change nothing).
 */
export function refuseCrossSite(req: Request): Response | null {
  const method = req.method.toUpperCase();
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  const site = req.headers.get("sec-fetch-site")?.toLowerCase();
  const origin = req.headers.get("origin");
  if (site && site !== "same-origin" && site !== "none") {
    return fail(403, `拒绝跨站请求（Sec-Fetch-Site: ${site}）：请从本站页面操作 (cross-site request refused)`);
  }
  if (origin !== null && !sameHost(origin, requestHost(req))) {
    return fail(403, "拒绝跨站请求：Origin 与本站地址不一致 (cross-origin request refused)");
  }
  if (!site && origin === null) {
    return fail(403, "拒绝请求：缺少 Origin 头，请从本站页面操作；脚本请设置 Origin 为本站地址 (missing Origin header)");
  }
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return fail(415, `只接受 application/json 请求（收到 ${type || "无 Content-Type"}）(only application/json is accepted)`);
  }
  return null;
}
