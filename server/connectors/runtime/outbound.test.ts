/**
 * The outbound policy over real sockets: what is refused never opens one, what is allowed goes out,
 * redirects are checked hop by hop, and a name is judged by the address it resolves to.
 */
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSourceReader, testConnection } from "../index";
import { sendHttp, type PreparedRequest } from "./http";
import { addressVerdict, OutboundRefusedError, STRICT_POLICY, type OutboundPolicy, type ResolvedAddress } from "./outbound";

interface Fake {
  url: string;
  port: number;
  hits: string[];
  close(): Promise<void>;
}

const fakes: Fake[] = [];

async function fake(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Fake> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const f: Fake = { url: `http://127.0.0.1:${port}`, port, hits, close: () => new Promise((r) => server.close(() => r())) };
  fakes.push(f);
  return f;
}

afterEach(async () => {
  vi.restoreAllMocks();
  while (fakes.length) await fakes.pop()!.close();
});

function get(url: string): PreparedRequest {
  return { method: "GET", url: new URL(url), headers: {}, bodyEncoding: "none" };
}

/** a resolver stub that records every name asked for */
function stubResolver(table: Record<string, string[]>): { resolve: (h: string) => Promise<ResolvedAddress[]>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: async (h) => {
      asked.push(h);
      const list = table[h];
      if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: "ENOTFOUND" });
      return list.map((address) => ({ address, family: net.isIP(address) === 6 ? 6 : 4 }) as ResolvedAddress);
    },
  };
}

describe("address classes", () => {
  it.each([
    ["169.254.169.254", true],
    ["100.100.100.200", true],
    ["0.0.0.0", true],
    ["224.0.0.1", true],
    ["255.255.255.255", true],
    ["::", true],
    ["fe80::1", true],
    ["ff02::1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:169.254.169.254", true],
    ["fd00:ec2::254", true],
    ["64:ff9b::a9fe:a9fe", true],
    ["127.0.0.1", false],
    ["10.0.0.5", false],
    ["172.16.3.4", false],
    ["192.168.1.1", false],
    ["100.64.0.1", false],
    ["::1", false],
    ["fd12:3456::1", false],
  ])("%s is refused (always: %s)", (ip, always) => {
    const v = addressVerdict(ip);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.always).toBe(always);
  });

  it.each(["8.8.8.8", "172.32.0.1", "2001:4860:4860::8888", "100.128.0.1"])("%s is public", (ip) => {
    expect(addressVerdict(ip).ok).toBe(true);
  });
});

describe("sendHttp under the outbound policy", () => {
  it("169.254.169.254 is refused before any packet: no lookup, no socket", async () => {
    const connect = vi.spyOn(net.Socket.prototype, "connect");
    const stub = stubResolver({});
    const policy: OutboundPolicy = { allowPrivateNetworks: true, allowedHosts: ["169.254.169.254"], resolve: stub.resolve };
    const err = await sendHttp(get("http://169.254.169.254/latest/meta-data/"), 2000, undefined, { policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as Error).message).toContain("169.254.169.254");
    expect((err as Error).message).toContain("始终禁止");
    expect(stub.asked).toEqual([]);
    expect(connect).not.toHaveBeenCalled();
  });

  it("metadata names are refused without being resolved", async () => {
    const connect = vi.spyOn(net.Socket.prototype, "connect");
    const stub = stubResolver({ "metadata.google.internal": ["8.8.8.8"] });
    for (const u of ["http://metadata.google.internal/computeMetadata/v1/", "http://METADATA./", "http://100.100.100.200/latest/meta-data/"]) {
      await expect(sendHttp(get(u), 2000, undefined, { policy: { ...STRICT_POLICY, resolve: stub.resolve } })).rejects.toBeInstanceOf(OutboundRefusedError);
    }
    expect(stub.asked).toEqual([]);
    expect(connect).not.toHaveBeenCalled();
  });

  it("odd spellings of loopback are judged as the address they mean", async () => {
    const f = await fake((_q, r) => r.end("{}"));
    const connect = vi.spyOn(net.Socket.prototype, "connect");
    for (const host of ["0x7f000001", "2130706433", "127.1", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0", "[::]"]) {
      const err = await sendHttp(get(`http://${host}:${f.port}/`), 2000).catch((e: unknown) => e);
      expect(err, host).toBeInstanceOf(OutboundRefusedError);
    }
    // mapped IPv6 stays refused even when the admin allows private networks
    await expect(sendHttp(get(`http://[::ffff:127.0.0.1]:${f.port}/`), 2000, undefined, { policy: { allowPrivateNetworks: true, allowedHosts: [] } })).rejects.toThrow(/内嵌 IPv4/);
    expect(connect).not.toHaveBeenCalled();
    expect(f.hits).toEqual([]);
  });

  it("a name resolving to a private address is refused with what and how to allow it", async () => {
    const connect = vi.spyOn(net.Socket.prototype, "connect");
    const stub = stubResolver({ "erp.example.test": ["10.0.0.5"] });
    const err = await sendHttp(get("http://erp.example.test/api"), 2000, undefined, { policy: { ...STRICT_POLICY, resolve: stub.resolve } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as Error).message).toBe("出站地址 10.0.0.5（erp.example.test） 属于内网地址 (private network address)，管理员可在 设置 → 出站访问 中允许 (an admin can allow it in Settings → Outbound access)");
    expect(stub.asked).toEqual(["erp.example.test"]);
    // the refusal happened in the socket's lookup: the connect call never reached an address
    for (const call of connect.mock.calls) expect(JSON.stringify(call[0])).not.toContain("10.0.0.5");
  });

  it("a name with one public and one private answer is refused (no picking the good one)", async () => {
    const stub = stubResolver({ "mixed.example.test": ["93.184.216.34", "127.0.0.1"] });
    await expect(sendHttp(get("http://mixed.example.test/"), 2000, undefined, { policy: { ...STRICT_POLICY, resolve: stub.resolve } })).rejects.toThrow(/127\.0\.0\.1/);
  });

  it("the allowlist lets a loopback server through, by address or by name; the address connected is the one checked", async () => {
    const f = await fake((_q, r) => r.writeHead(200, { "content-type": "application/json" }).end('{"ok":1}'));
    const connect = vi.spyOn(net.Socket.prototype, "connect"); // the same spy that proves "no socket" elsewhere sees real ones
    await expect(sendHttp(get(`${f.url}/x`), 2000)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(f.hits).toEqual([]);
    const byIp = await sendHttp(get(`${f.url}/x`), 2000, undefined, { policy: { allowPrivateNetworks: false, allowedHosts: ["127.0.0.1"] } });
    expect(byIp.body).toEqual({ ok: 1 });
    const stub = stubResolver({ "erp.internal.test": ["127.0.0.1"] });
    const byName = await sendHttp(get(`http://erp.internal.test:${f.port}/y`), 2000, undefined, { policy: { allowPrivateNetworks: false, allowedHosts: ["erp.internal.test"], resolve: stub.resolve } });
    expect(byName.status).toBe(200);
    const byRange = await sendHttp(get(`${f.url}/z`), 2000, undefined, { policy: { allowPrivateNetworks: false, allowedHosts: ["127.0.0.0/8"] } });
    expect(byRange.status).toBe(200);
    expect(f.hits).toEqual(["GET /x", "GET /y", "GET /z"]);
    expect(connect).toHaveBeenCalled();
  });

  it("a redirect to 127.0.0.1 is refused at the hop, and never followed by default", async () => {
    const internal = await fake((_q, r) => r.end('{"internal":"secret data"}'));
    const edge = await fake((_q, r) => r.writeHead(302, { location: `${internal.url}/admin` }).end());
    const stub = stubResolver({ "api.partner.test": ["127.0.0.1"] });
    const policy: OutboundPolicy = { allowPrivateNetworks: false, allowedHosts: ["api.partner.test"], resolve: stub.resolve };
    const start = `http://api.partner.test:${edge.port}/list`;
    // default: the 302 comes back as it is
    const plain = await sendHttp(get(start), 2000, undefined, { policy });
    expect(plain.status).toBe(302);
    // followed: the hop to 127.0.0.1 is checked and refused
    const err = await sendHttp(get(start), 2000, undefined, { policy, followRedirects: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as Error).message).toContain("127.0.0.1");
    expect(edge.hits).toEqual(["GET /list", "GET /list"]);
    expect(internal.hits).toEqual([]);
  });

  it("a followed redirect to another origin drops credential headers and does not re-send a body", async () => {
    const seen: Record<string, string | undefined>[] = [];
    const other = await fake((q, r) => {
      seen.push({ authorization: q.headers.authorization, cookie: q.headers.cookie });
      r.end("{}");
    });
    const edge = await fake((q, r) => r.writeHead(q.method === "POST" ? 307 : 302, { location: `${other.url}/next` }).end());
    const policy: OutboundPolicy = { allowPrivateNetworks: true, allowedHosts: [] };
    const res = await sendHttp({ ...get(`${edge.url}/a`), headers: { authorization: "Bearer t0ken", cookie: "kdservice-sessionid=abc" } }, 2000, undefined, { policy, followRedirects: true });
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ authorization: undefined, cookie: undefined }]);
    const post = await sendHttp({ method: "POST", url: new URL(`${edge.url}/b`), headers: {}, body: { password: "pw" }, bodyEncoding: "json" }, 2000, undefined, { policy, followRedirects: true });
    expect(post.status).toBe(307);
    expect(other.hits).toEqual(["GET /next"]);
  });
});

describe("connections under the policy", () => {
  it("a connection test to a private address says what was refused, as configuration, without sending", async () => {
    const f = await fake((_q, r) => r.end("{}"));
    const r = await testConnection({ vendor: "kingdee", baseUrl: `${f.url}/k3cloud/`, settings: { acctId: "A", username: "u" }, secrets: { password: "pw-never-sent" } });
    expect(r).toMatchObject({ ok: false, failureType: "config" });
    expect(r.message).toContain("出站地址 127.0.0.1");
    expect(r.message).toContain("设置 → 出站访问");
    expect(f.hits).toEqual([]);
  });

  it("a source read refused by the policy fails once (no retries) as configuration", async () => {
    const stub = stubResolver({ "intranet.test": ["192.168.1.20"] });
    const reader = createSourceReader({ vendor: "guanyi", baseUrl: "http://intranet.test/", settings: { appkey: "1" }, secrets: { sessionkey: "s", secret: "t" }, outbound: { ...STRICT_POLICY, resolve: stub.resolve } }, "guanyi.gy.erp.shop.get", {});
    const err = await (async () => {
      for await (const p of reader.read({ params: {} })) void p;
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ failureType: "config", attempts: 1 });
    expect((err as Error).message).toContain("192.168.1.20");
    expect(stub.asked).toEqual(["intranet.test"]);
  });

  it("a sandbox connection may reach the simulators on loopback, and still never link-local", async () => {
    const f = await fake((_q, r) => r.writeHead(200, { "content-type": "application/json" }).end('{"success":true,"shops":[],"total":0}'));
    const ok = await testConnection({ vendor: "guanyi", baseUrl: f.url, sandbox: true, settings: { appkey: "1" }, secrets: { sessionkey: "s", secret: "t" } });
    expect(ok.ok).toBe(true);
    const refused = await testConnection({ vendor: "guanyi", baseUrl: "http://169.254.169.254/", sandbox: true, settings: { appkey: "1" }, secrets: { sessionkey: "s", secret: "t" } });
    expect(refused).toMatchObject({ ok: false, failureType: "config" });
  });
});
