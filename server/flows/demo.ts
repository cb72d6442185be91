/**
 * The app's demo schemes: the two seed scenarios shipped in examples/, stored as flows on first start.
 *
 * Why this exists: a new user opens the app and finds two working schemes (管易云店铺 → 金蝶客户,
 * 钉钉备用金 → 金蝶费用申请) bound to the sandbox connections, runnable at once without credentials.
 * Idempotent: a scheme that already exists by name is left alone (the user may have edited it).
 */
import type { Db } from "@/server/db";
import dingtalkExample from "@/examples/dingtalk-pettycash-to-kingdee.json";
import guanyiExample from "@/examples/guanyi-shops-to-kingdee-customers.json";
import { createFlow } from "./store";

export const DEMO_FLOWS: readonly { name: string; document: unknown }[] = [
  { name: guanyiExample.name, document: guanyiExample },
  { name: dingtalkExample.name, document: dingtalkExample },
];

/** Creates the demo flows that do not exist yet; returns the ids of all demo flows by name. */
export async function seedDemoFlows(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const demo of DEMO_FLOWS) {
    const existing = await db.flow.findFirst({ where: { name: demo.name, deletedAt: null }, select: { id: true } });
    if (existing) {
      out[demo.name] = existing.id;
      continue;
    }
    const created = await createFlow(db, { name: demo.name, document: demo.document, author: "system" });
    out[demo.name] = created.id;
  }
  return out;
}
