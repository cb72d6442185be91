/**
 * Connections (连接): list, create, edit, delete, test.
 *
 * Why this exists: a scheme's source and target nodes name a connection; the connections screen is
 * where credentials are entered once. Secrets are write-only: they are encrypted at rest with the
 * engine's `encryptSecrets` (AES-256-GCM) and no procedure ever returns them — the browser only learns
 * *which* secret fields are set, so it can show "saved, leave empty to keep". An edit that leaves a
 * secret empty keeps the stored one, unless it moves the connection to another host (protocol, port):
 * then every stored secret is dropped (server/runs/connections.ts updateConnection). "Test" makes the vendor's cheapest authenticated call through the
 * connector layer's `testConnection` and reports success or the vendor's own message.
 */
import { z } from "zod";
import { decryptSecrets, encryptSecrets, testStoredConnection, updateConnection } from "@/server/runs/connections";
import { AppError } from "../errors";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

type L = { zh: string; en: string };
export interface VendorField {
  key: string;
  label: L;
  placeholder?: string;
  options?: { value: string; label: L }[];
}
export interface VendorSpec {
  vendor: "guanyi" | "dingtalk" | "kingdee" | "http";
  label: L;
  baseUrlPlaceholder: string;
  settings: VendorField[];
  secrets: VendorField[];
}

/** Which non-secret settings and which secrets each vendor's connector reads (see server/connectors). */
export const VENDORS: VendorSpec[] = [
  {
    vendor: "guanyi",
    label: { zh: "管易云 C-ERP", en: "Guanyi C-ERP" },
    baseUrlPlaceholder: "http://v2.api.guanyierp.com/rest/erp_open",
    settings: [{ key: "appkey", label: { zh: "AppKey", en: "App key" }, placeholder: "189200" }],
    secrets: [
      { key: "sessionkey", label: { zh: "SessionKey", en: "Session key" } },
      { key: "secret", label: { zh: "Secret（签名密钥）", en: "Secret (signing key)" } },
    ],
  },
  {
    vendor: "dingtalk",
    label: { zh: "钉钉", en: "DingTalk" },
    baseUrlPlaceholder: "https://oapi.dingtalk.com",
    settings: [
      { key: "appkey", label: { zh: "AppKey", en: "App key" } },
      { key: "agentId", label: { zh: "AgentId（应用 ID）", en: "Agent id" } },
    ],
    secrets: [{ key: "appsecret", label: { zh: "AppSecret", en: "App secret" } }],
  },
  {
    vendor: "kingdee",
    label: { zh: "金蝶云星空 K3Cloud", en: "Kingdee K3Cloud" },
    baseUrlPlaceholder: "http://erp.example.com/k3cloud/",
    settings: [
      {
        key: "authMode",
        label: { zh: "登录方式", en: "Login mode" },
        options: [
          { value: "ValidateUser", label: { zh: "用户名 + 密码（ValidateUser）", en: "User name + password (ValidateUser)" } },
          { value: "LoginByAppSecret", label: { zh: "应用 ID + 应用密钥登录（LoginByAppSecret）", en: "App id + app secret login (LoginByAppSecret)" } },
          { value: "LoginBySign", label: { zh: "签名登录（LoginBySign）", en: "Signed login (LoginBySign)" } },
          { value: "Signature", label: { zh: "每次请求签名（第三方授权，Signature）", en: "Signature on every request (Signature)" } },
        ],
      },
      { key: "acctId", label: { zh: "数据中心 ID（AcctId）", en: "Data centre id (AcctId)" } },
      { key: "username", label: { zh: "用户名", en: "User name" } },
      { key: "appId", label: { zh: "应用 ID（AppId）", en: "App id" }, placeholder: "228866_xxxxxxxx" },
      { key: "lcid", label: { zh: "语言（LCID）", en: "Language (LCID)" }, placeholder: "2052" },
      { key: "orgNum", label: { zh: "组织编码", en: "Org number" }, placeholder: "100" },
    ],
    secrets: [
      { key: "appSecret", label: { zh: "应用密钥（AppSecret）", en: "App secret" } },
      { key: "password", label: { zh: "密码", en: "Password" } },
    ],
  },
  {
    vendor: "http",
    label: { zh: "通用 HTTP", en: "Generic HTTP" },
    baseUrlPlaceholder: "https://api.example.com/",
    settings: [],
    secrets: [{ key: "token", label: { zh: "令牌（Token）", en: "Token" } }],
  },
];

const Vendor = z.enum(["guanyi", "dingtalk", "kingdee", "http"]);
const Name = z.string().trim().min(1, "连接名称不能为空 (name is required)").max(100);
const BaseUrl = z
  .string()
  .trim()
  .min(1, "请填写接口地址 (base URL is required)")
  .refine((s) => /^https?:\/\/[^\s]+$/i.test(s), "接口地址应以 http:// 或 https:// 开头 (base URL must start with http:// or https://)");
const Settings = z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean()]));
const Secrets = z.record(z.string(), z.string().max(4000));

const publicSelect = { id: true, name: true, vendor: true, baseUrl: true, settings: true, sandbox: true, createdAt: true, updatedAt: true, secretBlob: true } as const;
type Row = { id: string; name: string; vendor: string; baseUrl: string; settings: unknown; sandbox: boolean; createdAt: Date; updatedAt: Date; secretBlob: string | null };

/** A connection as the browser may see it: settings and the *names* of stored secrets, never values. */
function toPublic(r: Row) {
  let secretKeys: string[] = [];
  let secretsReadable = true;
  try {
    secretKeys = Object.keys(decryptSecrets(r.secretBlob)).filter((k) => k);
  } catch {
    secretsReadable = false;
  }
  return {
    id: r.id,
    name: r.name,
    vendor: r.vendor,
    baseUrl: r.baseUrl,
    settings: (r.settings ?? {}) as Record<string, string | number | boolean>,
    sandbox: r.sandbox,
    secretKeys,
    secretsReadable,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function cleanSecrets(s: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(s).filter(([k, v]) => k.trim() && v !== ""));
}

export const connectionsRouter = createTRPCRouter({
  vendors: viewerProcedure.query(() => VENDORS),

  list: viewerProcedure.input(z.object({ vendor: Vendor.optional() }).optional()).query(async ({ ctx, input }) => {
    const rows = await ctx.db.connection.findMany({
      where: input?.vendor ? { vendor: input.vendor } : {},
      orderBy: [{ sandbox: "desc" }, { name: "asc" }],
      select: publicSelect,
    });
    return rows.map(toPublic);
  }),

  create: adminProcedure
    .input(z.object({ name: Name, vendor: Vendor, baseUrl: BaseUrl, settings: Settings.default({}), secrets: Secrets.default({}) }))
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.db.connection.create({
        data: { name: input.name, vendor: input.vendor, baseUrl: input.baseUrl, settings: input.settings, secretBlob: encryptSecrets(cleanSecrets(input.secrets)), sandbox: false },
        select: publicSelect,
      });
      return toPublic(row);
    }),

  update: adminProcedure
    .input(
      z.object({
        id: z.string().min(1),
        name: Name.optional(),
        baseUrl: BaseUrl.optional(),
        settings: Settings.optional(),
        /** secrets to set; an empty value keeps the stored secret (all are dropped when the host changes) */
        secrets: Secrets.optional(),
        /** secret fields to remove */
        clearSecrets: z.array(z.string()).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // changing the host (protocol, port) drops the stored secrets: see updateConnection
      const { row, secretsCleared } = await updateConnection(ctx.db, input);
      return { ...toPublic(row), secretsCleared };
    }),

  delete: adminProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const row = await ctx.db.connection.findUnique({ where: { id: input.id } });
    if (!row) throw new AppError("NOT_FOUND", "连接不存在 (connection not found)");
    if (row.sandbox) throw new AppError("PRECONDITION_FAILED", "沙箱连接不能删除 (sandbox connections cannot be deleted)");
    await ctx.db.connection.delete({ where: { id: input.id } });
    return { id: input.id };
  }),

  /** Calls the vendor's cheapest authenticated endpoint; reports success or the vendor's message. */
  test: adminProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => testStoredConnection(ctx.db, input.id)),
});
