/**
 * Outbound policy: which addresses a connection may reach (SSRF guard).
 *
 * Why this exists: a connection's base URL is typed by a person, and its test, preview and runs make
 * the server itself send requests there — with the connection's secrets. Without a guard the server
 * can be pointed at itself (127.0.0.1:<internal port>), at the office network, or at a cloud metadata
 * service (169.254.169.254) and hand back what it finds. This module decides, per address actually
 * connected, whether the call may go out:
 * - always refused: link-local (169.254/16, fe80::/10, where metadata services live), metadata host
 *   names, unspecified (0.0.0.0/8, ::), multicast, broadcast/reserved, IPv4-mapped / IPv4-compatible
 *   IPv6 spellings;
 * - refused unless the admin allows them (设置 → 出站访问: `allowPrivateNetworks`, or the host in
 *   `allowedHosts`): loopback, private ranges (10/8, 172.16/12, 192.168/16, fc00::/7), 100.64/10;
 * - sandbox connections (bound to the local simulators) get `SANDBOX_POLICY`, which allows loopback and
 *   private ranges by construction (still never link-local or metadata).
 * The check runs in the socket's DNS lookup (runtime/http.ts passes `policyLookup`), so the address
 * that was checked is the address that is connected: no DNS rebinding between check and connect.
 * IP literals never reach a lookup, so `preflight` checks them before any socket exists.
 */
import dns from "node:dns";
import net from "node:net";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface OutboundPolicy {
  /** loopback and private ranges allowed (admin setting; sandbox connections) */
  allowPrivateNetworks: boolean;
  /** host names, IP addresses or CIDR ranges allowed even when they are loopback/private */
  allowedHosts: readonly string[];
  /** name resolution (default: the system resolver, every address); tests inject a stub */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

/** What a connection gets when nobody said otherwise: public addresses only. */
export const STRICT_POLICY: OutboundPolicy = Object.freeze({ allowPrivateNetworks: false, allowedHosts: Object.freeze([]) as readonly string[] });

/** Sandbox connections talk to the simulators on this machine: loopback/private allowed by construction. */
export const SANDBOX_POLICY: OutboundPolicy = Object.freeze({ allowPrivateNetworks: true, allowedHosts: Object.freeze([]) as readonly string[] });

/** A call refused by the outbound policy; it never left the machine. */
export class OutboundRefusedError extends Error {
  constructor(
    message: string,
    readonly host: string,
    readonly address?: string,
  ) {
    super(message);
    this.name = "OutboundRefusedError";
  }
}

type Verdict =
  | { ok: true }
  | { ok: false; always: boolean; why: string };

/** Cloud metadata service names (GCP, AWS, Azure/OpenStack aliases, Alibaba, Oracle …). */
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal", "metadata.azure.internal", "metadata.platformequinix.com"]);
/** Metadata addresses outside the link-local range. */
const METADATA_ADDRESSES = new Set(["100.100.100.200", "fd00:ec2::254", "192.0.0.192"]);

const ADMIN_HINT = "管理员可在 设置 → 出站访问 中允许 (an admin can allow it in Settings → Outbound access)";

function ipv4Bytes(ip: string): number[] {
  return ip.split(".").map(Number);
}

function ipv4Verdict(ip: string): Verdict {
  const [a, b] = ipv4Bytes(ip);
  if (METADATA_ADDRESSES.has(ip)) return { ok: false, always: true, why: "是云服务器元数据地址 (cloud metadata address)" };
  if (a === 0) return { ok: false, always: true, why: "是未指定地址 (unspecified address)" };
  if (a === 169 && b === 254) return { ok: false, always: true, why: "属于链路本地地址（含云元数据服务）(link-local address)" };
  if (a >= 224 && a <= 239) return { ok: false, always: true, why: "是组播地址 (multicast address)" };
  if (a >= 240) return { ok: false, always: true, why: "是保留或广播地址 (reserved/broadcast address)" };
  if (a === 127) return { ok: false, always: false, why: "是本机回环地址 (loopback address)" };
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return { ok: false, always: false, why: "属于内网地址 (private network address)" };
  if (a === 100 && b >= 64 && b <= 127) return { ok: false, always: false, why: "属于运营商级内网地址 (carrier-grade NAT address)" };
  if (a === 198 && (b === 18 || b === 19)) return { ok: false, always: false, why: "属于内网测试地址 (benchmarking network address)" };
  if (a === 192 && b === 0 && ipv4Bytes(ip)[2] === 0) return { ok: false, always: true, why: "是保留地址 (IETF reserved address)" };
  return { ok: true };
}

/** 8 groups of a valid IPv6 address (with an optional dotted IPv4 tail). */
function ipv6Groups(ip: string): number[] {
  let s = ip.toLowerCase();
  const pct = s.indexOf("%");
  if (pct >= 0) s = s.slice(0, pct);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const [a, b, c, d] = ipv4Bytes(tail[1]);
    s = s.slice(0, -tail[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = s.split("::");
  const h = head ? head.split(":") : [];
  const r = rest !== undefined ? (rest ? rest.split(":") : []) : [];
  const fill = s.includes("::") ? Array(8 - h.length - r.length).fill("0") : [];
  return [...h, ...fill, ...r].map((g) => parseInt(g, 16));
}

function embeddedIpv4(g: number[], from: number): string {
  return [g[from] >> 8, g[from] & 255, g[from + 1] >> 8, g[from + 1] & 255].join(".");
}

function ipv6Verdict(ip: string): Verdict {
  const g = ipv6Groups(ip);
  const canonical = g.map((x) => x.toString(16)).join(":");
  if (METADATA_ADDRESSES.has(ip.toLowerCase()) || canonical === "fd00:ec2:0:0:0:0:0:254") return { ok: false, always: true, why: "是云服务器元数据地址 (cloud metadata address)" };
  const zeros5 = g.slice(0, 5).every((x) => x === 0);
  if (g.every((x) => x === 0)) return { ok: false, always: true, why: "是未指定地址 (unspecified address)" };
  if (zeros5 && g[5] === 0 && g[6] === 0 && g[7] === 1) return { ok: false, always: false, why: "是本机回环地址 (loopback address)" };
  // CHOICE: IPv4 written inside IPv6 (::ffff:a.b.c.d, ::a.b.c.d) has no use for a vendor API and is the
  // classic way around a filter: refused always, whatever the embedded address.
  if (zeros5 && (g[5] === 0xffff || g[5] === 0)) return { ok: false, always: true, why: `是内嵌 IPv4（${embeddedIpv4(g, 6)}）的 IPv6 写法 (IPv4-mapped IPv6 address)` };
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the embedded IPv4 address: judge that one
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Verdict(embeddedIpv4(g, 6));
  if (g[0] === 0x2002) return ipv4Verdict(embeddedIpv4(g, 1));
  if ((g[0] & 0xffc0) === 0xfe80) return { ok: false, always: true, why: "属于链路本地地址 (link-local address)" };
  if ((g[0] & 0xff00) === 0xff00) return { ok: false, always: true, why: "是组播地址 (multicast address)" };
  if ((g[0] & 0xfe00) === 0xfc00) return { ok: false, always: false, why: "属于内网地址 (private network address)" };
  if ((g[0] & 0xffc0) === 0xfec0) return { ok: false, always: true, why: "是已废弃的站点本地地址 (site-local address)" };
  return { ok: true };
}

/** Whether an address may be connected, ignoring the admin's allowances. */
export function addressVerdict(address: string): Verdict {
  const family = net.isIP(address);
  if (family === 4) return ipv4Verdict(address);
  if (family === 6) return ipv6Verdict(address);
  return { ok: false, always: true, why: "不是有效的 IP 地址 (not an IP address)" };
}

function normaliseHost(host: string): string {
  return host.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
}

function inAllowed(policy: OutboundPolicy, host: string, address: string): boolean {
  for (const raw of policy.allowedHosts) {
    const entry = normaliseHost(raw.trim());
    if (!entry) continue;
    if (entry === host || entry === address) return true;
    const slash = entry.indexOf("/");
    if (slash > 0) {
      const base = entry.slice(0, slash);
      const bits = Number(entry.slice(slash + 1));
      const type = net.isIP(base) === 6 ? "ipv6" : "ipv4";
      if (!net.isIP(base) || !Number.isInteger(bits) || net.isIP(address) !== net.isIP(base)) continue;
      try {
        const list = new net.BlockList();
        list.addSubnet(base, bits, type);
        if (list.check(address, type)) return true;
      } catch {
        /* a malformed range allows nothing */
      }
    }
  }
  return false;
}

function refusal(host: string, address: string, why: string, always: boolean): OutboundRefusedError {
  const shown = host && host !== address ? `${address}（${host}）` : address;
  const hint = always ? "出于安全原因始终禁止访问 (always refused for safety)" : ADMIN_HINT;
  return new OutboundRefusedError(`出站地址 ${shown} ${why}，${hint}`, host, address);
}

/** Throws OutboundRefusedError when `address` (resolved from `host`) may not be connected. */
export function checkAddress(policy: OutboundPolicy, host: string, address: string): void {
  const h = normaliseHost(host);
  const a = normaliseHost(address);
  const v = addressVerdict(a);
  if (v.ok) return;
  if (!v.always && (policy.allowPrivateNetworks || inAllowed(policy, h, a))) return;
  throw refusal(h, a, v.why, v.always);
}

/**
 * Checks what can be checked before a socket exists: the scheme, metadata names and IP literals
 * (the URL parser has already turned `0x7f000001`, `2130706433` and `[::ffff:127.0.0.1]` into their
 * canonical form, so odd spellings are judged as the address they mean).
 */
export function preflight(policy: OutboundPolicy, url: URL): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundRefusedError(`出站请求只允许 http:// 或 https://，拒绝 ${url.protocol}// (only http and https are allowed)`, url.hostname);
  }
  const host = normaliseHost(url.hostname);
  if (METADATA_NAMES.has(host)) {
    throw new OutboundRefusedError(`出站地址 ${host} 是云服务器元数据服务，出于安全原因始终禁止访问 (cloud metadata service, always refused)`, host);
  }
  if (net.isIP(host)) checkAddress(policy, host, host);
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const list = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return list.map((x) => ({ address: x.address, family: x.family === 6 ? 6 : 4 }));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/http/https: resolves with the policy's resolver, refuses the connection when ANY
 * resolved address is forbidden (a name that mixes public and private answers is an attack), and
 * hands only checked addresses to the socket.
 */
export function policyLookup(policy: OutboundPolicy): (hostname: string, options: dns.LookupOptions, cb: LookupCallback) => void {
  return (hostname, options, cb) => {
    const resolve = policy.resolve ?? systemResolve;
    resolve(hostname).then(
      (all) => {
        try {
          const wanted = options.family === 4 || options.family === 6 ? all.filter((x) => x.family === options.family) : all;
          if (wanted.length === 0) {
            const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
            e.code = "ENOTFOUND";
            cb(e, "");
            return;
          }
          for (const x of all) checkAddress(policy, hostname, x.address);
          if (options.all) cb(null, wanted.map((x) => ({ address: x.address, family: x.family })));
          else cb(null, wanted[0].address, wanted[0].family);
        } catch (e) {
          cb(e as NodeJS.ErrnoException, "");
        }
      },
      (e: NodeJS.ErrnoException) => cb(e, ""),
    );
  };
}

/** A stable key of a policy (sockets are pooled per policy, never shared across policies). */
export function policyKey(policy: OutboundPolicy): string {
  return JSON.stringify([policy.allowPrivateNetworks, [...policy.allowedHosts].map(normaliseHost).sort()]);
}

/** The policy a connection's calls run under: the sandbox's by construction, else the workspace's (or strict). */
export function effectivePolicy(conn: { sandbox?: boolean; outbound?: OutboundPolicy }): OutboundPolicy {
  if (conn.sandbox) return conn.outbound?.resolve ? { ...SANDBOX_POLICY, resolve: conn.outbound.resolve } : SANDBOX_POLICY;
  return conn.outbound ?? STRICT_POLICY;
}
