/**
 * Connections: resolve a Connection row into the connector layer's `ConnectionConfig`, keep its
 * secrets encrypted at rest (AES-256-GCM), and bind the sandbox connections to the local simulators.
 *
 * Why this exists: flows name connections ("沙箱-金蝶" or a row id); the engine needs base URLs and
 * decrypted secrets; nothing else may ever see those secrets. The key comes from SHUQIAO_SECRET_KEY or
 * is generated into DATA_DIR/secret.key (mode 600) on first use. Sandbox mode is nothing but a
 * connection resolver: a flow run "in the sandbox" uses, for each vendor, the connection bound to that
 * vendor's simulator — the engine never knows.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { testConnection } from "@/server/connectors";
import type { ConnectionConfig } from "@/server/connectors/types";
import { getOutboundPolicy } from "@/server/auth/settings";
import { secureDir } from "@/server/data-files";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";

/** A connection that cannot be used as configured (missing, unreadable secret, unknown vendor). */
export class ConnectionError extends DomainError {
  constructor(message: string) {
    super("PRECONDITION_FAILED", message);
  }
}

let cachedKey: { dir: string; key: Buffer } | undefined;

function parseKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  const b = Buffer.from(t, "base64");
  if (b.length === 32) return b;
  throw new ConnectionError("SHUQIAO_SECRET_KEY 必须是 32 字节（64 位十六进制或 base64）(must be 32 bytes, hex or base64)");
}

/** The 32-byte secret key: env SHUQIAO_SECRET_KEY, else DATA_DIR/secret.key (created with mode 600). */
export function secretKey(): Buffer {
  const e = env();
  if (e.SHUQIAO_SECRET_KEY) return parseKey(e.SHUQIAO_SECRET_KEY);
  if (cachedKey && cachedKey.dir === e.dataDir) return cachedKey.key;
  const file = path.join(e.dataDir, "secret.key");
  let key: Buffer;
  if (fs.existsSync(file)) key = parseKey(fs.readFileSync(file, "utf8"));
  else {
    secureDir(e.dataDir);
    key = randomBytes(32);
    try {
      fs.writeFileSync(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    } catch {
      key = parseKey(fs.readFileSync(file, "utf8")); // another process created it first
    }
  }
  cachedKey = { dir: e.dataDir, key };
  return key;
}

/** AES-256-GCM: "v1:" + base64(iv ‖ tag ‖ ciphertext) of the JSON. */
export function encryptSecrets(secrets: Record<string, string>, key: Buffer = secretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return "v1:" + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function decryptSecrets(blob: string | null | undefined, key: Buffer = secretKey()): Record<string, string> {
  if (!blob) return {};
  if (!blob.startsWith("v1:")) throw new ConnectionError("连接密钥格式无法识别 (unknown secret format)");
  const raw = Buffer.from(blob.slice(3), "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Record<string, string>;
  } catch {
    throw new ConnectionError("无法解密连接密钥：密钥（SHUQIAO_SECRET_KEY / DATA_DIR/secret.key）已变更？(cannot decrypt connection secrets — was the key changed?)");
  }
}

type ConnectionRow = { id: string; name: string; vendor: string; baseUrl: string; settings: unknown; secretBlob: string | null; sandbox: boolean };

async function findConnection(db: Db, idOrName: string): Promise<ConnectionRow | null> {
  return (await db.connection.findUnique({ where: { id: idOrName } })) ?? (await db.connection.findUnique({ where: { name: idOrName } }));
}

/** Vendors whose every call needs a stored secret (the generic HTTP connector may need none). */
const SECRET_VENDORS = new Set(["guanyi", "dingtalk", "kingdee"]);

/**
 * The connector layer's view of a row: secrets decrypted, the sandbox flag, and the workspace's
 * outbound policy (sandbox rows are allowed loopback by construction, runtime/outbound.ts).
 */
async function toConfig(db: Db, row: ConnectionRow): Promise<ConnectionConfig> {
  const secrets = decryptSecrets(row.secretBlob);
  if (SECRET_VENDORS.has(row.vendor) && Object.keys(secrets).length === 0) {
    throw new ConnectionError(
      `连接「${row.name}」没有已保存的密钥（更改服务器地址、端口或协议后，原密钥会被清除，只能发往录入时的服务器）：请在「连接」页面重新填写后再测试或运行 ` +
        `(connection has no stored secrets — they are cleared when the host changes; enter them again)`,
    );
  }
  return {
    vendor: row.vendor,
    baseUrl: row.baseUrl,
    settings: (row.settings ?? {}) as Record<string, unknown>,
    secrets,
    sandbox: row.sandbox,
    outbound: row.sandbox ? undefined : await getOutboundPolicy(db),
  };
}

/** Resolves a connection by id or name, secrets decrypted. */
export async function resolveConnection(db: Db, idOrName: string): Promise<ConnectionConfig> {
  const row = await findConnection(db, idOrName);
  if (!row) throw new ConnectionError(`连接「${idOrName}」不存在 (connection not found)`);
  return toConfig(db, row);
}

/** For the flow compiler: does the connection exist, and which vendor is it. */
export async function connectionInfo(db: Db, idOrName: string): Promise<{ vendor: string } | undefined> {
  const row = await findConnection(db, idOrName);
  return row ? { vendor: row.vendor } : undefined;
}

export const SANDBOX_NAMES: Record<string, string> = { guanyi: "沙箱-管易云", dingtalk: "沙箱-钉钉", kingdee: "沙箱-金蝶" };

/**
 * Sandbox binding: whatever connection a flow names, use the sandbox connection of the same vendor
 * (vendor from the named connection, else from the api id prefix "kingdee.BatchSave").
 */
export function sandboxResolver(db: Db, apiVendorOf: (connectionId: string) => string | undefined) {
  return async (idOrName: string): Promise<ConnectionConfig> => {
    const row = await findConnection(db, idOrName);
    const vendor = row?.vendor ?? apiVendorOf(idOrName);
    if (row?.sandbox) return toConfig(db, row);
    const name = vendor ? SANDBOX_NAMES[vendor] : undefined;
    const sb = name ? await db.connection.findUnique({ where: { name } }) : null;
    if (!sb) throw new ConnectionError(`没有 ${vendor ?? idOrName} 的沙箱连接，请先启动沙箱 (no sandbox connection for ${vendor ?? idOrName}; start the sandbox first)`);
    return toConfig(db, sb);
  };
}

export interface SimulatorEndpoint {
  url: string;
  credentials: Record<string, unknown>;
}

export interface SimulatorSet {
  guanyi: SimulatorEndpoint;
  dingtalk: SimulatorEndpoint;
  kingdee: SimulatorEndpoint;
}

const SECRET_KEYS = /secret|session|password|token|key$/i;

function split(credentials: Record<string, unknown>): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(credentials)) {
    if (SECRET_KEYS.test(k) && !/^appkey$/i.test(k) && !/^appid$/i.test(k)) secrets[k] = String(v);
    else settings[k] = v;
  }
  return { settings, secrets };
}

/**
 * Creates or updates 沙箱-管易云 / 沙箱-钉钉 / 沙箱-金蝶, bound to the running simulators' URLs and
 * demo credentials. Returns their ids by vendor.
 */
export async function ensureSandboxConnections(db: Db, sims: SimulatorSet): Promise<Record<"guanyi" | "dingtalk" | "kingdee", string>> {
  const out = {} as Record<"guanyi" | "dingtalk" | "kingdee", string>;
  for (const vendor of ["guanyi", "dingtalk", "kingdee"] as const) {
    const sim = sims[vendor];
    const { settings, secrets } = split(sim.credentials ?? {});
    const baseUrl = vendor === "kingdee" ? sim.url.replace(/\/+$/, "") + "/k3cloud/" : sim.url;
    const data = { vendor, baseUrl, settings: settings as object, secretBlob: encryptSecrets(secrets), sandbox: true };
    const row = await db.connection.upsert({ where: { name: SANDBOX_NAMES[vendor] }, create: { name: SANDBOX_NAMES[vendor], ...data }, update: data });
    out[vendor] = row.id;
  }
  return out;
}

/** Where a secret may go: scheme, host and port of a base URL (the default port made explicit). */
export function secretOrigin(vendor: string, baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    const port = u.port || (u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "");
    return `${vendor}|${u.protocol}//${u.hostname.toLowerCase()}:${port}`;
  } catch {
    return `${vendor}|${baseUrl}`;
  }
}

export interface ConnectionUpdate {
  id: string;
  name?: string;
  vendor?: string;
  baseUrl?: string;
  settings?: Record<string, string | number | boolean>;
  /** secrets to set; an empty value keeps the stored secret (unless the host changed: then nothing is kept) */
  secrets?: Record<string, string>;
  /** secret fields to remove */
  clearSecrets?: string[];
}

function cleanSecrets(s: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(s).filter(([k, v]) => k.trim() && v !== ""));
}

/**
 * Edits a connection. A secret may only ever go to the host it was entered for: changing the vendor,
 * protocol, host or port drops every stored secret (secrets sent with the same edit are kept, they were
 * entered for the new host). Returns the row and the names of the secrets that were dropped.
 */
export async function updateConnection(db: Db, input: ConnectionUpdate): Promise<{ row: NonNullable<Awaited<ReturnType<Db["connection"]["findUnique"]>>>; secretsCleared: string[] }> {
  const row = await db.connection.findUnique({ where: { id: input.id } });
  if (!row) throw new DomainError("NOT_FOUND", "连接不存在 (connection not found)");
  if (row.sandbox) throw new DomainError("PRECONDITION_FAILED", "沙箱连接由系统在启动时维护，不能修改；请新建一个连接 (sandbox connections are managed by the system)");
  const vendor = input.vendor ?? row.vendor;
  const baseUrl = input.baseUrl ?? row.baseUrl;
  const moved = secretOrigin(vendor, baseUrl) !== secretOrigin(row.vendor, row.baseUrl);
  const current = decryptSecrets(row.secretBlob);
  let secretBlob: string | undefined;
  let secretsCleared: string[] = [];
  if (moved || input.secrets || input.clearSecrets?.length) {
    const next = { ...(moved ? {} : current), ...cleanSecrets(input.secrets ?? {}) };
    for (const k of input.clearSecrets ?? []) delete next[k];
    if (moved) secretsCleared = Object.keys(current).filter((k) => !(k in next));
    secretBlob = encryptSecrets(next);
  }
  const updated = await db.connection.update({
    where: { id: input.id },
    data: {
      ...(input.name ? { name: input.name } : {}),
      ...(input.vendor ? { vendor: input.vendor } : {}),
      ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
      ...(input.settings ? { settings: input.settings } : {}),
      ...(secretBlob ? { secretBlob } : {}),
    },
  });
  return { row: updated, secretsCleared };
}

/** "Test" on the connections screen: the vendor's cheapest authenticated call, or why it cannot be made. */
export async function testStoredConnection(db: Db, id: string): Promise<(Awaited<ReturnType<typeof testConnection>>) & { ms: number }> {
  const started = Date.now();
  let conn: ConnectionConfig;
  try {
    conn = await resolveConnection(db, id);
  } catch (e) {
    // a ConnectionError says what to fix; anything else (a database error) is not the person's to read
    if (!(e instanceof DomainError)) throw e;
    return { ok: false as const, message: e.message, failureType: "config" as const, ms: Date.now() - started };
  }
  const res = await testConnection(conn);
  return { ...res, ms: Date.now() - started };
}
