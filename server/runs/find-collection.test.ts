/**
 * `_findCollection` in a real run: a second scheme looks up what the first scheme stored (its source
 * records and the ids the target assigned) — over real HTTP against the simulators, on SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { ledgerFindCollection } from "./find-collection";
import { createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, sqliteDb, startSandbox, ledgerRows, type TestDb } from "./test-helpers";

const SHOPS = 30;
const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";

type Field = { field: string; value?: string };
type Doc = { name?: string; nodes: { type: string; data: { fields?: Field[]; formId?: string } }[] };

describe("_findCollection against another scheme's ledger", () => {
  let t: TestDb;
  let sims: Simulators;
  let customersFlow: string;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS } } });
    customersFlow = await importExample(t.db, EXAMPLE);
    const s = await executeRun(t.db, await createRun(t.db, { flowId: customersFlow, options: { sandbox: true } }));
    expect(s.counts.written).toBe(SHOPS);
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  it("answers from the stored source payload and the target's ids, and null when nothing matches", async () => {
    const find = ledgerFindCollection(t.db);
    const ledger = (await ledgerRows(t.db, { where: { flowId: customersFlow }, take: 1 }))[0];
    const code = (ledger.sourcePayload as { code: string }).code;
    expect(await find({ flowId: customersFlow, field: "name", where: { code } })).toBe((ledger.sourcePayload as { name: string }).name);
    expect(await find({ flowId: customersFlow, field: "targetId", where: { code } })).toBe(ledger.targetId);
    expect(await find({ flowId: customersFlow, field: "FNumber", where: { code } })).toBe(code); // from the mapped document
    expect(await find({ flowId: customersFlow, field: "name", where: { code: "NO-SUCH-CODE" } })).toBeNull();
    await expect(find({ flowId: "no-such-flow", field: "name", where: { code } })).rejects.toThrow(/不存在/);
  });

  it("a run of a second scheme maps a field through the first scheme's ledger", async () => {
    const relabel = await importExample(t.db, EXAMPLE, (raw) => {
      const doc = raw as unknown as Doc;
      doc.name = "按客户内码改名";
      const mapper = doc.nodes.find((n) => n.type === "mapper")!;
      for (const f of mapper.data.fields!) {
        if (f.field === "FNumber") f.value = "X{{code}}";
        if (f.field === "FName") f.value = `_findCollection find targetId from ${customersFlow} where code={{code}}`;
      }
    });
    const s = await executeRun(t.db, await createRun(t.db, { flowId: relabel, options: { sandbox: true } }));
    expect(s.counts).toMatchObject({ read: SHOPS, written: SHOPS, invalid: 0, failed: 0 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    const byNumber = new Map(docs.documents.map((d) => [String(d.FNumber), d]));
    for (const r of await ledgerRows(t.db, { where: { flowId: customersFlow } })) {
      const code = (r.sourcePayload as { code: string }).code;
      expect(String(byNumber.get("X" + code)?.FName)).toBe(r.targetId);
    }
  });
});
