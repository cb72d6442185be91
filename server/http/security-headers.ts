/**
 * Browser hardening: the Content-Security-Policy of every page and the headers of every response.
 *
 * Why this exists: a page of this app can change connections that hold ERP passwords; it must not be
 * framed (clickjacking), run injected scripts (XSS), sniff types or leak its URLs to other sites.
 * proxy.ts (Next 16's middleware) gives every page request a fresh nonce and this CSP; Next reads the
 * nonce from the request's CSP header and puts it on its own scripts (node_modules/next/dist/docs/
 * 01-app/02-guides/content-security-policy.md). Pages are rendered per request (the root layout reads
 * cookies), which nonces need. next.config.ts adds `BASE_HEADERS` to every response and a deny-all CSP
 * to API answers (JSON never needs to run anything).
 */

/** Headers for every response (pages, API, static files). */
export const BASE_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** API answers are data: nothing in them may run, load or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh, unguessable nonce (128 bits). */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

/**
 * The CSP of a page. Scripts: only those carrying this request's nonce, and what they load
 * ('strict-dynamic'); development adds 'unsafe-eval' (React's dev tooling uses eval, production does not).
 * CHOICE: styles allow 'unsafe-inline': React `style={…}` props and the flow canvas (@xyflow/react) set
 * style attributes, which a nonce cannot cover, and a nonce in style-src would switch 'unsafe-inline'
 * off. Style injection cannot run script; scripts stay nonce-only.
 * No `upgrade-insecure-requests`: the server is often reached over plain http on a LAN.
 */
export function pageCsp(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "worker-src 'self' blob:",
  ].join("; ");
}
