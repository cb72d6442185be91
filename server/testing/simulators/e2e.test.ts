/**
 * The two case studies end to end over raw HTTP (no connectors): 管易云 shops → 金蝶 customers,
 * and approved 钉钉 备用金 requests → 金蝶 ER_ExpenseRequest loans, using the org mapping the
 * simulators publish. Proves the simulators fit together; reconciles through /__sandbox/documents.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSignedHeaders } from "./kingdee/auth";
import { startSimulators, type Simulators } from "./index";

let sims: Simulators;
const ANCHOR = "2026-06-30T00:00:00Z";
type RS = { IsSuccess: boolean; Errors: { DIndex: number; Message: string }[]; SuccessEntitys: { Id: number; Number: string; DIndex: number }[] };

beforeAll(async () => {
  sims = await startSimulators({ config: { guanyi: { shops: 345, seed: 3 }, dingtalk: { approvals: 160, seed: 3, anchor: ANCHOR, qps: 0 } } });
});
afterAll(async () => {
  await sims.close();
});

async function kingdee(op: string, body: unknown): Promise<unknown> {
  const k = sims.kingdee.credentials;
  const path = `/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.${op}.common.kdsvc`;
  const headers = buildSignedHeaders({ appId: k.appId, appSecret: k.appSecret, acctId: k.acctId, userName: k.username, lcid: k.lcid }, path);
  const res = await fetch(`${sims.kingdee.url}${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

describe("case studies end to end", () => {
  it("管易云 gy.erp.shop.get → 金蝶 BD_Customer BatchSave: nothing lost, nothing duplicated, re-run is refused per row", async () => {
    const g = sims.guanyi.credentials;
    const shops: { code: string; name: string; note: string }[] = [];
    for (let page = 1; ; page++) {
      const o: Record<string, unknown> = { appkey: g.appkey, sessionkey: g.sessionkey, method: "gy.erp.shop.get", page_no: page, page_size: 100 };
      const sign = createHash("md5").update(g.secret + JSON.stringify(o) + g.secret).digest("hex").toUpperCase();
      const j = (await (await fetch(`${sims.guanyi.url}/rest/erp_open`, { method: "POST", body: JSON.stringify({ ...o, sign }) })).json()) as { shops: typeof shops; total: number };
      shops.push(...j.shops);
      if (page >= Math.ceil(j.total / 100)) break;
    }
    expect(shops).toHaveLength(345);
    const toModel = (s: (typeof shops)[number]) => ({ FName: s.name, FNumber: s.code, FCreateOrgId: { FNumber: "100" }, FUseOrgId: { FNumber: "100" }, FDescription: s.note });
    for (let i = 0; i < shops.length; i += 100) {
      const r = (await kingdee("BatchSave", { formid: "BD_Customer", data: { Model: shops.slice(i, i + 100).map(toModel), IsVerifyBaseDataField: true, IsAutoSubmitAndAudit: true } })) as { Result: { ResponseStatus: RS } };
      expect(r.Result.ResponseStatus.IsSuccess).toBe(true);
    }
    const again = (await kingdee("BatchSave", { formid: "BD_Customer", data: { Model: shops.slice(0, 3).map(toModel) } })) as { Result: { ResponseStatus: RS } };
    expect(again.Result.ResponseStatus.Errors.map((e) => e.DIndex)).toEqual([0, 1, 2]);
    const docs = (await (await fetch(`${sims.kingdee.url}/__sandbox/documents?formId=BD_Customer&limit=0`)).json()) as { count: number; duplicates: number; createdMoreThanOnce: number };
    expect(docs).toMatchObject({ count: 345, duplicates: 0, createdMoreThanOnce: 0 });
  });

  it("钉钉 approved 备用金 → 金蝶 ER_ExpenseRequest (FIsBorrow) with applicant/department resolved through the mapping", async () => {
    const d = sims.dingtalk.credentials;
    const tk = ((await (await fetch(`${sims.dingtalk.url}/gettoken?appkey=${d.appkey}&appsecret=${d.appsecret}`)).json()) as { access_token: string }).access_token;
    const st = (await (await fetch(`${sims.dingtalk.url}/__sandbox/state`)).json()) as {
      processCodes: { process_code: string; name: string; completedAgree: number }[];
      employees: { userid: string; kingdeeStaffNumber: string; kingdeeDeptNumber: string }[];
      departments: { name: string; kingdeeNumber: string }[];
    };
    const pc = st.processCodes.find((p) => p.name === "备用金申请");
    expect(pc).toBeDefined();
    const end = Date.parse(ANCHOR);
    const ids: string[] = [];
    let cursor = 0;
    for (;;) {
      const r = (await (
        await fetch(`${sims.dingtalk.url}/topapi/processinstance/listids?access_token=${tk}`, {
          method: "POST",
          body: JSON.stringify({ process_code: pc?.process_code, start_time: end - 91 * 86_400_000, end_time: end, size: 20, cursor }),
        })
      ).json()) as { errcode: number; result: { list: string[]; next_cursor?: number } };
      expect(r.errcode).toBe(0);
      ids.push(...r.result.list);
      if (r.result.next_cursor === undefined) break;
      cursor = r.result.next_cursor;
    }
    const models: Record<string, unknown>[] = [];
    for (const id of ids) {
      const r = (await (await fetch(`${sims.dingtalk.url}/topapi/processinstance/get?access_token=${tk}`, { method: "POST", body: JSON.stringify({ process_instance_id: id }) })).json()) as {
        process_instance: { status: string; result: string; business_id: string; originator_userid: string; originator_dept_name: string; create_time: string; form_component_values: { name: string; value: string; component_type: string }[] };
      };
      const p = r.process_instance;
      if (p.status !== "COMPLETED" || p.result !== "agree") continue;
      const emp = st.employees.find((e) => e.userid === p.originator_userid);
      const dept = st.departments.find((x) => x.name === p.originator_dept_name);
      const rows = JSON.parse(p.form_component_values.find((f) => f.component_type === "TableField")?.value ?? "[]") as { rowValue: { label: string; value: string }[] }[];
      models.push({
        FBillNo: `BYJ${p.business_id}`,
        FDate: p.create_time,
        FOrgID: { FNumber: "100" },
        FStaffID: { FStaffNumber: emp?.kingdeeStaffNumber },
        FDeptID: { FNumber: dept?.kingdeeNumber },
        FIsBorrow: true,
        FCausa: p.form_component_values.find((f) => f.name === "申请事由")?.value,
        FEntity: rows.map((row) => ({ FOrgAmount: Number(row.rowValue.find((c) => c.label.startsWith("金额"))?.value), FRemark: row.rowValue[0].value })),
      });
    }
    expect(models).toHaveLength(pc?.completedAgree ?? -1);
    const r = (await kingdee("BatchSave", { formid: "ER_ExpenseRequest", data: { Model: models, IsVerifyBaseDataField: true, IsAutoSubmitAndAudit: true } })) as { Result: { ResponseStatus: RS } };
    expect(r.Result.ResponseStatus.Errors).toEqual([]);
    expect(r.Result.ResponseStatus.SuccessEntitys).toHaveLength(models.length);
    const q = (await kingdee("ExecuteBillQuery", { data: { FormId: "ER_ExpenseRequest", FieldKeys: "FBillNo,FStaffID.FName,FDeptID.FName,FReqAmountSum", FilterString: "FIsBorrow = 1 AND FDocumentStatus = 'C'" } })) as unknown[][];
    expect(q).toHaveLength(models.length);
    expect(q.every((row) => typeof row[1] === "string" && row[1] !== "" && typeof row[3] === "number" && (row[3] as number) > 0)).toBe(true);
  });
});
