/**
 * Workspace settings an admin edits, stored one JSON value per key in the Setting table.
 *
 * Why this exists: the outbound address policy (may connections reach loopback/private networks, which
 * hosts are allowed explicitly) is the admin's decision, made in the UI and read by the connectors'
 * outbound guard through `getOutboundPolicy(db)` — the one function the connectors call.
 */
import { z } from "zod";
import type { Db, Prisma } from "../db";

export const OUTBOUND_KEY = "outbound";

/** One host name, IP address or CIDR range (e.g. erp.example.com, 10.0.0.5, 10.0.0.0/8, [::1]). */
export const AllowedHost = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9.:\-\[\]/*_]+$/, "只能填写主机名、IP 地址或网段，例如 erp.example.com、10.0.0.0/8 (host name, IP address or CIDR range)");

export const OutboundPolicySchema = z.object({
  /** allow loopback and private ranges (127/8, 10/8, 172.16/12, 192.168/16, fc00::/7 …); link-local and metadata stay refused */
  allowPrivateNetworks: z.boolean(),
  /** hosts/addresses allowed even when private networks are not */
  allowedHosts: z.array(AllowedHost).max(100),
});
export type OutboundPolicy = z.infer<typeof OutboundPolicySchema>;

/** CHOICE: closed by default — a new workspace reaches only public addresses (and its sandbox). */
export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowPrivateNetworks: false, allowedHosts: [] };

export async function getOutboundPolicy(db: Db): Promise<OutboundPolicy> {
  const row = await db.setting.findUnique({ where: { key: OUTBOUND_KEY } });
  const parsed = OutboundPolicySchema.safeParse(row?.value);
  return parsed.success ? parsed.data : { ...DEFAULT_OUTBOUND_POLICY };
}

export async function setOutboundPolicy(db: Db, patch: Partial<OutboundPolicy>, updatedBy: string | null): Promise<OutboundPolicy> {
  const current = await getOutboundPolicy(db);
  const next = OutboundPolicySchema.parse({ ...current, ...patch, allowedHosts: [...new Set(patch.allowedHosts ?? current.allowedHosts)] });
  const value = next as unknown as Prisma.InputJsonValue;
  await db.setting.upsert({ where: { key: OUTBOUND_KEY }, create: { key: OUTBOUND_KEY, value, updatedBy }, update: { value, updatedBy } });
  return next;
}
