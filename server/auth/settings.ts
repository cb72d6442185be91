/**
 * Workspace settings that the server itself obeys; here only the outbound policy (设置 → 出站访问).
 *
 * Why this exists: the connector runtime must not import the database, so whoever resolves a
 * connection reads the policy here and hands it over inside the ConnectionConfig. One `Setting` row
 * per key: `allowPrivateNetworks` (boolean) and `allowedHosts` (string[]), written by the settings
 * router (admin). Missing or malformed rows mean the strict default: public addresses only.
 */
import type { OutboundPolicy } from "@/server/connectors/types";
import type { Db } from "@/server/db";

export const OUTBOUND_KEYS = { allowPrivateNetworks: "allowPrivateNetworks", allowedHosts: "allowedHosts" } as const;

export async function getOutboundPolicy(db: Db): Promise<OutboundPolicy> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(OUTBOUND_KEYS) } } });
  const byKey = new Map(rows.map((r) => [r.key, r.value as unknown]));
  const hosts = byKey.get(OUTBOUND_KEYS.allowedHosts);
  return {
    allowPrivateNetworks: byKey.get(OUTBOUND_KEYS.allowPrivateNetworks) === true,
    allowedHosts: Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === "string" && h.trim() !== "") : [],
  };
}
