/**
 * Protocol tests of the Kingdee simulator over real HTTP. Signatures are computed here from the
 * fact sheet (§2), independently of kingdee/auth.ts.
 */
import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../common/core";
import { startKingdeeSimulator } from "./index";

let sim: SimulatorHandle;
const SVC = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService";
const AUTH = "Kingdee.BOS.WebApi.ServicesStub.AuthService";
const SESSION_LOST = "会话信息已丢失，请重新登录";

// ---------------------------------------------------------------- independent client (sheet §2b)

function hmacB64(key: string, msg: string): string {
  return Buffer.from(createHmac("sha256", key).update(msg).digest("hex")).toString("base64");
}
function gatewaySecret(enc: string): string {
  const key = "0054f397c6234378b09ca7d3e5debce7";
  const raw = Buffer.from(enc, "base64");
  return Buffer.from(raw.map((b, i) => b ^ key.charCodeAt(i))).toString("base64");
}
interface Ident {
  acctId: string;
  username: string;
  appId: string;
  appSecret: string;
  lcid: string;
}
function signedHeaders(id: Ident, path: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  const [clientId, enc] = id.appId.split("_");
  const ok = id.appId.split("_").length === 2 && enc.length === 32;
  const p = encodeURIComponent(path);
  const appData = `${id.acctId},${id.username},${id.lcid},0`;
  return {
    "X-Api-ClientID": ok ? clientId : "",
    "X-Api-Auth-Version": "2.0",
    "x-api-timestamp": ts,
    "x-api-nonce": ts,
    "x-api-signheaders": "x-api-timestamp,x-api-nonce",
    "X-Api-Signature": hmacB64(ok ? gatewaySecret(enc) : "", `POST\n${p}\n\nx-api-nonce:${ts}\nx-api-timestamp:${ts}\n`),
    "X-Kd-Appkey": id.appId,
    "X-Kd-Appdata": Buffer.from(appData).toString("base64"),
    "X-Kd-Signature": hmacB64(id.appSecret, id.appId + appData),
  };
}

class Client {
  cookie = "";
  lastSetCookie: string[] = [];
  constructor(
    private mode: "signed" | "cookie",
    public ident: Ident = sim.credentials as unknown as Ident,
  ) {}
  async raw(service: string, body: unknown, rawBody?: string): Promise<{ status: number; text: string }> {
    const path = `/k3cloud/${service}.common.kdsvc`;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.mode === "signed") Object.assign(headers, signedHeaders(this.ident, path));
    if (this.cookie) headers.cookie = `Theme=standard;${this.cookie}`;
    const res = await fetch(`${sim.url}${path}`, { method: "POST", headers, body: rawBody ?? JSON.stringify(body) });
    this.lastSetCookie = res.headers.getSetCookie();
    if (this.lastSetCookie.length) this.cookie = this.lastSetCookie.map((c) => c.split(";")[0]).join("; ");
    return { status: res.status, text: await res.text() };
  }
  async call<T = Record<string, unknown>>(service: string, body: unknown): Promise<T> {
    const r = await this.raw(service, body);
    expect(r.status).toBe(200);
    return JSON.parse(r.text) as T;
  }
  save(formId: string, data: Record<string, unknown>, op = "Save") {
    return this.call<{ Result: { ResponseStatus: RS; Id?: number; Number?: string; NeedReturnData?: unknown[] } }>(`${SVC}.${op}`, { formid: formId, data });
  }
  query(data: Record<string, unknown>) {
    return this.call<unknown[][]>(`${SVC}.ExecuteBillQuery`, { data });
  }
  op(op: string, formId: string, data: Record<string, unknown>) {
    return this.call<{ Result: { ResponseStatus: RS } }>(`${SVC}.${op}`, { formid: formId, data });
  }
}
interface RS {
  ErrorCode: number;
  IsSuccess: boolean;
  MsgCode: number;
  Errors: { FieldName: string | null; Message: string; DIndex: number }[];
  SuccessEntitys: { Id: number; Number: string; DIndex: number }[];
}

async function sandbox(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/__sandbox/${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}
async function documents(formId: string, q = "") {
  return (await sandbox(`documents?formId=${formId}${q}`)) as { count: number; duplicates: number; createdMoreThanOnce: number; documents: Record<string, unknown>[] };
}
const cust = (n: string, extra: Record<string, unknown> = {}) => ({ FNumber: n, FName: `客户${n}`, FCreateOrgId: { FNumber: "100" }, FUseOrgId: { FNumber: "100" }, ...extra });

beforeAll(async () => {
  sim = await startKingdeeSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await sandbox("reset", { sessionTtlSec: 1800, qps: 0, rowFailureRate: 0, uniqueNumbers: true, errorRate: 0, dropRate: 0 });
});

// ---------------------------------------------------------------- auth

describe("kingdee: authentication", () => {
  it("signature headers alone create a session silently (cookie without Expires) and then the cookie suffices", async () => {
    const c = new Client("signed");
    const rows = await c.query({ FormId: "BD_Department", FieldKeys: "FNumber,FName", FilterString: "" });
    expect(rows.length).toBe(8);
    expect(c.lastSetCookie.some((x) => x.startsWith("kdservice-sessionid="))).toBe(true);
    expect(c.lastSetCookie.join(",")).not.toMatch(/expires=/i);
    const cookieOnly = new Client("cookie");
    cookieOnly.cookie = c.cookie;
    expect((await cookieOnly.query({ FormId: "BD_Department", FieldKeys: "FNumber" })).length).toBe(8);
  });

  it("wrong appSecret / user / lcid / appId shape → MsgCode 1 session-lost envelope; wrong acctId → non-200 passport error", async () => {
    const good = sim.credentials as unknown as Ident;
    for (const bad of [
      { ...good, appSecret: "0".repeat(32) },
      { ...good, username: "__no_such_user__" },
      { ...good, lcid: "9999" },
      { ...good, appId: "228866" },
      { ...good, appId: `${good.appId.split("_")[0]}_${"A".repeat(32)}` },
    ]) {
      const c = new Client("signed", bad);
      const r = await c.call<{ Result: { ResponseStatus: RS } }>(`${SVC}.View`, { formid: "BD_Department", data: { Number: "BM001" } });
      expect(r.Result.ResponseStatus).toMatchObject({ IsSuccess: false, MsgCode: 1, ErrorCode: 500 });
      expect(r.Result.ResponseStatus.Errors[0].Message).toBe(SESSION_LOST);
      const q = await c.query({ FormId: "BD_Department", FieldKeys: "FNumber" });
      expect((q as unknown as [[{ Result: { ResponseStatus: RS } }]])[0][0].Result.ResponseStatus.MsgCode).toBe(1);
    }
    const wrongAcct = new Client("signed", { ...good, acctId: "nope" });
    const r = await wrongAcct.raw(`${SVC}.View`, { formid: "BD_Department", data: { Number: "BM001" } });
    expect(r.status).not.toBe(200);
    expect(r.text).toContain("Fail to verify thirty passport");
    const none = new Client("cookie");
    const n = await none.save("BD_Customer", { Model: cust("C1") });
    expect(n.Result.ResponseStatus.MsgCode).toBe(1);
  });

  it("a live session is honoured without re-checking credentials", async () => {
    const c = new Client("signed");
    await c.query({ FormId: "BD_Department", FieldKeys: "FNumber" });
    c.ident = { ...c.ident, appSecret: "0".repeat(32) };
    expect((await c.query({ FormId: "BD_Department", FieldKeys: "FNumber" })).length).toBe(8);
  });

  it("ValidateUser / LoginByAppSecret / LoginBySign return LoginResult and a session cookie", async () => {
    const id = sim.credentials;
    const c = new Client("cookie");
    const bad = await c.call<{ LoginResultType: number; IsSuccessByAPI: boolean }>(`${AUTH}.ValidateUser`, { parameters: [id.acctId, id.username, "wrong", 2052] });
    expect(bad.LoginResultType).not.toBe(1);
    expect(bad.IsSuccessByAPI).toBe(false);
    const ok = await c.call<{ LoginResultType: number; KDSVCSessionId: string; Context: { UserName: string } }>(`${AUTH}.ValidateUser`, {
      parameters: [id.acctId, id.username, id.password, 2052],
    });
    expect(ok.LoginResultType).toBe(1);
    expect(ok.KDSVCSessionId).toBeTruthy();
    expect(c.cookie).toContain(`kdservice-sessionid=${ok.KDSVCSessionId}`);
    expect((await c.query({ FormId: "BD_Department", FieldKeys: "FNumber" })).length).toBe(8);
    const s = await new Client("cookie").call<{ LoginResultType: number }>(`${AUTH}.LoginByAppSecret`, { parameters: [id.acctId, id.username, id.appId, id.appSecret, 2052] });
    expect(s.LoginResultType).toBe(1);
    const ts = String(Math.floor(Date.now() / 1000));
    const sign = createHash("sha256").update([id.acctId, id.username, id.appId, id.appSecret, ts].sort().join("")).digest("hex");
    const g = await new Client("cookie").call<{ LoginResultType: number }>(`${AUTH}.LoginBySign`, { parameters: [id.acctId, id.username, id.appId, ts, sign, 2052] });
    expect(g.LoginResultType).toBe(1);
    const gb = await new Client("cookie").call<{ LoginResultType: number }>(`${AUTH}.LoginBySign`, { parameters: [id.acctId, id.username, id.appId, ts, "0".repeat(64), 2052] });
    expect(gb.LoginResultType).not.toBe(1);
    const named = await new Client("cookie").call<{ LoginResultType: number }>(`${AUTH}.ValidateUser`, { acctID: id.acctId, username: id.username, password: id.password, lcid: 2052 });
    expect(named.LoginResultType).toBe(1);
  });

  it("an idle session expires: cookie-only clients get MsgCode 1 and must log in again; signed clients are renewed silently", async () => {
    await sandbox("config", { sessionTtlSec: 1 });
    const id = sim.credentials;
    const c = new Client("cookie");
    await c.call(`${AUTH}.ValidateUser`, { parameters: [id.acctId, id.username, id.password, 2052] });
    const s = new Client("signed");
    await s.query({ FormId: "BD_Department", FieldKeys: "FNumber" });
    const firstSid = s.cookie;
    await new Promise((r) => setTimeout(r, 1100));
    const lost = await c.save("BD_Customer", { Model: cust("EXP1") });
    expect(lost.Result.ResponseStatus.MsgCode).toBe(1);
    expect(lost.Result.ResponseStatus.Errors[0].Message).toBe(SESSION_LOST);
    const lostQ = (await c.query({ FormId: "BD_Department", FieldKeys: "FNumber" })) as unknown as [[{ Result: { ResponseStatus: RS } }]];
    expect(lostQ[0][0].Result.ResponseStatus.MsgCode).toBe(1);
    await c.call(`${AUTH}.ValidateUser`, { parameters: [id.acctId, id.username, id.password, 2052] });
    expect((await c.save("BD_Customer", { Model: cust("EXP1") })).Result.ResponseStatus.IsSuccess).toBe(true);
    expect((await s.query({ FormId: "BD_Department", FieldKeys: "FNumber" })).length).toBe(8);
    expect(s.cookie).not.toBe(firstSid);
  });
});

// ---------------------------------------------------------------- encodings and bad input

describe("kingdee: body encodings and bad input", () => {
  it("accepts positional parameters with a JSON string and named formid/data as object or string", async () => {
    const c = new Client("signed");
    const a = await c.call<{ Result: { ResponseStatus: RS } }>(`${SVC}.Save`, { parameters: ["BD_Customer", JSON.stringify({ Model: cust("P1") })] });
    expect(a.Result.ResponseStatus.IsSuccess).toBe(true);
    const b = await c.call<{ Result: { ResponseStatus: RS } }>(`${SVC}.Save`, { formid: "BD_Customer", data: JSON.stringify({ Model: cust("P2") }) });
    expect(b.Result.ResponseStatus.IsSuccess).toBe(true);
    // Python SDK style: spaces and \u escapes
    const py = JSON.stringify({ formid: "BD_Customer", data: { Model: cust("P3") } }, null, 1).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const r = await c.raw(`${SVC}.Save`, null, py);
    expect((JSON.parse(r.text) as { Result: { ResponseStatus: RS } }).Result.ResponseStatus.IsSuccess).toBe(true);
    const q = await c.call<unknown[][]>(`${SVC}.ExecuteBillQuery`, { parameters: [JSON.stringify({ FormId: "BD_Customer", FieldKeys: "FNumber,FName", OrderString: "FNumber" })] });
    expect(q).toEqual([
      ["P1", "客户P1"],
      ["P2", "客户P2"],
      ["P3", "客户P3"],
    ]);
  });

  it("bad input gets the vendor envelope, never a crash", async () => {
    const c = new Client("signed");
    const cases: [string, string][] = [
      [`${SVC}.Save`, "not json"],
      [`${SVC}.Save`, JSON.stringify({ formid: "BD_Customer", data: "{broken" })],
      [`${SVC}.Save`, JSON.stringify({ formid: "BD_Customer", data: { Model: null } })],
      [`${SVC}.Save`, JSON.stringify({ formid: "BD_Customer", data: { Model: "x" } })],
      [`${SVC}.Save`, JSON.stringify({ formid: "", data: { Model: {} } })],
      [`${SVC}.Save`, JSON.stringify({ formid: "NO_SUCH_FORM", data: { Model: {} } })],
      [`${SVC}.BatchSave`, JSON.stringify({ formid: "BD_Customer", data: { Model: [] } })],
      [`${SVC}.Save`, JSON.stringify({ formid: "BD_Customer", data: { Model: cust("T1", { FCreditAmount: "abc", FIsGroup: "maybe" }) } })],
      [`${SVC}.Audit`, JSON.stringify({ formid: "BD_Customer", data: {} })],
      [`${SVC}.Save`, JSON.stringify({ formid: "BD_Customer", data: { Model: cust("T2", { FCUSTID: "abc" }) } })],
    ];
    for (const [svc, body] of cases) {
      const r = await c.raw(svc, null, body);
      expect(r.status).toBe(200);
      const j = JSON.parse(r.text) as { Result: { ResponseStatus: RS } };
      expect(j.Result.ResponseStatus.IsSuccess).toBe(false);
      expect(j.Result.ResponseStatus.MsgCode).toBeGreaterThan(0);
      expect(j.Result.ResponseStatus.Errors[0].Message).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.text).not.toMatch(/at .*\.ts/);
    }
    const unknownForm = await c.save("NO_SUCH_FORM", { Model: {} });
    expect(unknownForm.Result.ResponseStatus.MsgCode).toBe(4);
    expect(unknownForm.Result.ResponseStatus.Errors[0].Message).toContain("业务对象不存在");
  });
});

// ---------------------------------------------------------------- save / batch / update / audit

describe("kingdee: saving", () => {
  it("Save returns the internal id as Id; View and ExecuteBillQuery see it", async () => {
    const c = new Client("signed");
    const r = await c.save("BD_Customer", { Model: cust("CUST001", { FShortName: "甲" }), NeedReturnFields: ["FNumber", "FName"] });
    expect(r.Result.ResponseStatus).toMatchObject({ IsSuccess: true, ErrorCode: 0, Errors: [] });
    expect(typeof r.Result.Id).toBe("number");
    expect(r.Result.Number).toBe("CUST001");
    expect(r.Result.ResponseStatus.SuccessEntitys).toEqual([{ Id: r.Result.Id, Number: "CUST001", DIndex: 0 }]);
    expect(r.Result.NeedReturnData).toEqual([{ FNumber: "CUST001", FName: "客户CUST001" }]);
    const v = await c.call<{ Result: { ResponseStatus: RS; Result: Record<string, unknown> } }>(`${SVC}.View`, { formid: "BD_Customer", data: { Number: "CUST001" } });
    expect(v.Result.Result.Id).toBe(r.Result.Id);
    expect(v.Result.Result.Name).toEqual([{ Key: 2052, Value: "客户CUST001" }]);
    expect(v.Result.Result.CreateOrgId).toMatchObject({ Id: 1, Number: "100" });
    const q = await c.query({ FormId: "BD_Customer", FieldKeys: "FCUSTID,FNumber,FName,FCreateOrgId.FNumber,FCreateOrgId,FDocumentStatus" });
    expect(q).toEqual([[r.Result.Id, "CUST001", "客户CUST001", "100", 1, "A"]]);
  });

  it("BatchSave partial failure: Errors by DIndex, SuccessEntitys for saved rows, saved rows stay saved", async () => {
    const c = new Client("signed");
    const rows = [cust("B0"), { FNumber: "B1", FCreateOrgId: { FNumber: "100" } }, cust("B2"), cust("B0"), cust("B4")];
    const r = await c.save("BD_Customer", { Model: rows, BatchCount: "2" }, "BatchSave");
    const st = r.Result.ResponseStatus;
    expect(st.IsSuccess).toBe(false);
    expect(st.ErrorCode).toBe(500);
    expect(st.Errors.map((e) => e.DIndex).sort()).toEqual([1, 3]);
    expect(st.Errors.find((e) => e.DIndex === 1)?.FieldName).toBe("FName");
    expect(st.Errors.find((e) => e.DIndex === 3)?.Message).toContain("B0");
    expect(st.SuccessEntitys.map((s) => [s.Number, s.DIndex])).toEqual([
      ["B0", 0],
      ["B2", 2],
      ["B4", 4],
    ]);
    expect(new Set(st.SuccessEntitys.map((s) => s.Id)).size).toBe(3);
    const d = await documents("BD_Customer");
    expect(d.count).toBe(3);
    expect(d.duplicates).toBe(0);
    const again = await c.save("BD_Customer", { Model: [cust("B2")] }, "BatchSave");
    expect(again.Result.ResponseStatus.Errors[0].FieldName).toBe("FNumber");
    const otherOrg = await c.save("BD_Customer", { Model: [cust("B2", { FCreateOrgId: { FNumber: "101" }, FUseOrgId: { FNumber: "101" } })] }, "BatchSave");
    expect(otherOrg.Result.ResponseStatus.IsSuccess).toBe(true);
    const ok = await c.save("BD_Supplier", { Model: [{ FNumber: "S1", FName: "供应商1", FCreateOrgId: { FNumber: "100" } }] }, "BatchSave");
    expect(ok.Result.ResponseStatus.SuccessEntitys[0].Id).toBeGreaterThanOrEqual(200001);
  });

  it("verifies base-data references when IsVerifyBaseDataField is true; organisations always", async () => {
    const c = new Client("signed");
    const badOrg = await c.save("BD_Customer", { Model: cust("R1", { FCreateOrgId: { FNumber: "999" } }) });
    expect(badOrg.Result.ResponseStatus.IsSuccess).toBe(false);
    const dept = { FSALDEPTID: { FNumber: "BM999" } };
    expect((await c.save("BD_Customer", { Model: cust("R2", dept) })).Result.ResponseStatus.IsSuccess).toBe(true);
    const v = await c.save("BD_Customer", { Model: cust("R3", dept), IsVerifyBaseDataField: true });
    expect(v.Result.ResponseStatus.IsSuccess).toBe(false);
    expect(v.Result.ResponseStatus.Errors[0].FieldName).toBe("FSALDEPTID");
    const good = await c.save("BD_Customer", { Model: cust("R4", { FSALDEPTID: { FNumber: "BM002" } }), IsVerifyBaseDataField: true });
    expect(good.Result.ResponseStatus.IsSuccess).toBe(true);
    const q = await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber,FSALDEPTID.FNumber,FSALDEPTID.FName", FilterString: "FNumber = 'R4'" });
    expect(q).toEqual([["R4", "BM002", "销售部"]]);
  });

  it("Save with the internal id updates (full or NeedUpDateFields); a missing id is refused", async () => {
    const c = new Client("signed");
    const r = await c.save("BD_Customer", { Model: cust("U1", { FShortName: "短", FTEL: "123" }) });
    const id = r.Result.Id as number;
    const part = await c.save("BD_Customer", { Model: { FCUSTID: id, FName: "改名" }, NeedUpDateFields: ["FName"] });
    expect(part.Result.ResponseStatus.IsSuccess).toBe(true);
    expect(part.Result.Id).toBe(id);
    let q = await c.query({ FormId: "BD_Customer", FieldKeys: "FCUSTID,FName,FShortName,FTEL" });
    expect(q).toEqual([[id, "改名", "短", "123"]]);
    const full = await c.save("BD_Customer", { Model: { ...cust("U1"), FCUSTID: String(id), FName: "全量" } });
    expect(full.Result.ResponseStatus.IsSuccess).toBe(true);
    q = await c.query({ FormId: "BD_Customer", FieldKeys: "FCUSTID,FName,FShortName" });
    expect(q).toEqual([[id, "全量", null]]);
    expect((await documents("BD_Customer")).count).toBe(1);
    const missing = await c.save("BD_Customer", { Model: { ...cust("U2"), FCUSTID: 999999 } });
    expect(missing.Result.ResponseStatus.IsSuccess).toBe(false);
    const renumber = await c.save("BD_Customer", { Model: cust("U3") });
    const clash = await c.save("BD_Customer", { Model: { FCUSTID: renumber.Result.Id, FNumber: "U1" }, NeedUpDateFields: ["FNumber"] });
    expect(clash.Result.ResponseStatus.IsSuccess).toBe(false);
  });

  it("audit state machine: auto submit+audit, audited documents refuse Save and Delete, UnAudit reopens", async () => {
    const c = new Client("signed");
    const a = await c.save("BD_Customer", { Model: cust("A1"), IsAutoSubmitAndAudit: true });
    const id = a.Result.Id as number;
    expect(await c.query({ FormId: "BD_Customer", FieldKeys: "FDocumentStatus", FilterString: "FNumber='A1'" })).toEqual([["C"]]);
    const upd = await c.save("BD_Customer", { Model: { FCUSTID: id, FName: "x" }, NeedUpDateFields: ["FName"] });
    expect(upd.Result.ResponseStatus.IsSuccess).toBe(false);
    expect(upd.Result.ResponseStatus.Errors[0].Message).toContain("已审核");
    const del = await c.op("Delete", "BD_Customer", { Numbers: ["A1"] });
    expect(del.Result.ResponseStatus.IsSuccess).toBe(false);
    expect((await c.op("UnAudit", "BD_Customer", { Ids: String(id) })).Result.ResponseStatus.IsSuccess).toBe(true);
    expect((await c.op("Delete", "BD_Customer", { Numbers: ["A1"] })).Result.ResponseStatus.IsSuccess).toBe(true);
    expect((await documents("BD_Customer")).count).toBe(0);
    // manual flow on two documents, one of them unknown
    await c.save("BD_Customer", { Model: [cust("M1"), cust("M2")] }, "BatchSave");
    expect((await c.op("Audit", "BD_Customer", { Numbers: ["M1"] })).Result.ResponseStatus.IsSuccess).toBe(false);
    const sub = await c.op("Submit", "BD_Customer", { Numbers: ["M1", "M2", "NOPE"] });
    expect(sub.Result.ResponseStatus.IsSuccess).toBe(false);
    expect(sub.Result.ResponseStatus.Errors.map((e) => e.DIndex)).toEqual([2]);
    expect(sub.Result.ResponseStatus.SuccessEntitys.map((s) => s.Number)).toEqual(["M1", "M2"]);
    expect((await c.op("Audit", "BD_Customer", { Numbers: ["M1", "M2"], CreateOrgId: 1 })).Result.ResponseStatus.IsSuccess).toBe(true);
    expect(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber,FDocumentStatus", OrderString: "FNumber" })).toEqual([
      ["M1", "C"],
      ["M2", "C"],
    ]);
    // recreated number counts as created twice
    await c.save("BD_Customer", { Model: cust("A1") });
    const d = await documents("BD_Customer");
    expect(d.createdMoreThanOnce).toBe(1);
    expect(d.duplicates).toBe(0);
  });

  it("uniqueNumbers:false lets duplicates through and /documents reports them", async () => {
    await sandbox("config", { uniqueNumbers: false });
    const c = new Client("signed");
    await c.save("BD_Customer", { Model: [cust("D1"), cust("D1"), cust("D2")] }, "BatchSave");
    const d = await documents("BD_Customer", "&offset=1&limit=1");
    expect(d.count).toBe(3);
    expect(d.duplicates).toBe(1);
    expect(d.createdMoreThanOnce).toBe(1);
    expect(d.documents).toHaveLength(1);
    expect(d.documents[0].FNumber).toBe("D1");
    expect(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", FilterString: "FNumber = 'D1'" })).toEqual([["D1"], ["D1"]]);
  });

  it("ER_ExpenseRequest (备用金 / FIsBorrow) with applicant and department from the DingTalk mapping", async () => {
    const st = await sandbox("state");
    const emp = (st.employees as { name: string; kingdeeStaffNumber: string; kingdeeDeptNumber: string; deptName: string }[])[3];
    const c = new Client("signed");
    const model = {
      FDate: "2026-03-01",
      FOrgID: { FNumber: "100" },
      FStaffID: { FStaffNumber: emp.kingdeeStaffNumber },
      FDeptID: { FNumber: emp.kingdeeDeptNumber },
      FIsBorrow: true,
      FCausa: "出差备用金",
      FEntity: [
        { FExpenseItemID: { FNumber: "FYXM01" }, FOrgAmount: 500, FRemark: "差旅费" },
        { FExpenseItemID: { FNumber: "FYXM02" }, FOrgAmount: "250.5" },
      ],
    };
    const r = await c.save("ER_ExpenseRequest", { Model: [model, { ...model, FDeptID: { FNumber: "BM404" } }, { ...model, FEntity: [] }], IsVerifyBaseDataField: true, IsAutoSubmitAndAudit: true }, "BatchSave");
    const s = r.Result.ResponseStatus;
    expect(s.SuccessEntitys).toHaveLength(1);
    expect(s.SuccessEntitys[0].Number).toBe("FYSQ000001");
    expect(s.Errors.map((e) => e.DIndex).sort()).toEqual([1, 2]);
    const q = await c.query({
      FormId: "ER_ExpenseRequest",
      FieldKeys: "FID,FBillNo,FStaffID.FName,FDeptID.FName,FIsBorrow,FReqAmountSum,FDate,FDocumentStatus",
      FilterString: "FIsBorrow = 1 AND FDocumentStatus = 'C'",
    });
    expect(q).toEqual([[s.SuccessEntitys[0].Id, "FYSQ000001", emp.name, emp.deptName, true, 750.5, "2026-03-01T00:00:00", "C"]]);
    const entries = await c.query({ FormId: "ER_ExpenseRequest", FieldKeys: "FBillNo,FEntity_FEntryID,FOrgAmount,FExpenseItemID.FNumber", FilterString: "FOrgAmount > 300" });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual(["FYSQ000001", expect.any(Number), 500, "FYXM01"]);
    const dup = await c.save("ER_ExpenseRequest", { Model: { ...model, FBillNo: "FYSQ000001" } });
    expect(dup.Result.ResponseStatus.Errors[0].FieldName).toBe("FBillNo");
  });
});

// ---------------------------------------------------------------- query

describe("kingdee: ExecuteBillQuery", () => {
  beforeEach(async () => {
    const c = new Client("signed");
    const model = Array.from({ length: 25 }, (_, i) =>
      cust(`Q${String(i).padStart(2, "0")}`, { FCreditAmount: i * 10, FShortName: i % 3 === 0 ? undefined : `简${i}`, FIsGroup: i % 2 === 0 }),
    );
    const r = await c.save("BD_Customer", { Model: model }, "BatchSave");
    expect(r.Result.ResponseStatus.IsSuccess).toBe(true);
  });

  const nums = (rows: unknown[][]) => rows.map((r) => r[0]);

  it("supports =, <>, <, <=, >, >=, IN, LIKE, IS NULL, NOT, BETWEEN, AND/OR and parentheses", async () => {
    const c = new Client("signed");
    const q = async (f: string) => nums(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", FilterString: f, OrderString: "FNumber ASC" }));
    expect(await q("FNumber = 'Q03'")).toEqual(["Q03"]);
    expect((await q("FNumber <> 'Q03'")).length).toBe(24);
    expect(await q("FCreditAmount < 20")).toEqual(["Q00", "Q01"]);
    expect(await q("FCreditAmount <= 20")).toEqual(["Q00", "Q01", "Q02"]);
    expect(await q("FCreditAmount > 220")).toEqual(["Q23", "Q24"]);
    expect(await q("FCreditAmount >= 230")).toEqual(["Q23", "Q24"]);
    expect(await q("FNumber IN ('Q01', 'Q05', 'ZZ')")).toEqual(["Q01", "Q05"]);
    expect(await q("FNumber NOT IN ('Q01') AND FNumber LIKE 'Q0%'")).toEqual(["Q00", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07", "Q08", "Q09"]);
    expect(await q("FName LIKE '%Q1_'")).toHaveLength(10);
    expect(await q("FShortName IS NULL AND FCreditAmount < 100")).toEqual(["Q00", "Q03", "Q06", "Q09"]);
    expect((await q("FShortName IS NOT NULL")).length).toBe(16);
    expect(await q("(FNumber = 'Q01' OR FNumber = 'Q02') AND FIsGroup = 1")).toEqual(["Q02"]);
    expect(await q("FNumber = 'Q01' OR FNumber = 'Q02' AND FIsGroup = 1")).toEqual(["Q01", "Q02"]);
    expect(await q("NOT (FCreditAmount > 20) AND FCreateOrgId.FNumber = '100'")).toEqual(["Q00", "Q01", "Q02"]);
    expect(await q("FCreditAmount BETWEEN 50 AND 70")).toEqual(["Q05", "Q06", "Q07"]);
    expect(await q("FName = N'客户Q04' AND FModifyDate >= '2000-01-01' AND FCUSTID > 0")).toEqual(["Q04"]);
    expect(await q("FName = '客户''s'")).toEqual([]);
  });

  it("pages with StartRow/Limit to the end, honours TopRowCount and OrderString DESC", async () => {
    const c = new Client("signed");
    const all: unknown[] = [];
    for (let start = 0; ; start += 10) {
      const page = await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", StartRow: start, Limit: 10, OrderString: "FNumber" });
      all.push(...nums(page));
      if (page.length < 10) break;
    }
    expect(all).toHaveLength(25);
    expect(new Set(all).size).toBe(25);
    const top = await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", TopRowCount: 3, OrderString: "FCreditAmount DESC" });
    expect(nums(top)).toEqual(["Q24", "Q23", "Q22"]);
  });

  it("unknown field → MsgCode 9, bad filter → MsgCode 4, empty FieldKeys → 8, all in [[…]]", async () => {
    const c = new Client("signed");
    const st = (r: unknown) => (r as [[{ Result: { ResponseStatus: RS } }]])[0][0].Result.ResponseStatus;
    const a = st(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber,FNoSuchField" }));
    expect(a).toMatchObject({ IsSuccess: false, MsgCode: 9 });
    expect(a.Errors[0].Message).toContain("FNoSuchField");
    expect(st(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", FilterString: "FNoSuch = 1" })).MsgCode).toBe(9);
    expect(st(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", FilterString: "FNumber = " })).MsgCode).toBe(4);
    expect(st(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", FilterString: "(FNumber = 'a'" })).MsgCode).toBe(4);
    expect(st(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", FilterString: "FNumber = 'a" })).MsgCode).toBe(4);
    expect(st(await c.query({ FormId: "BD_Customer", FieldKeys: "" })).MsgCode).toBe(8);
    expect(st(await c.query({ FormId: "NOPE", FieldKeys: "FNumber" })).MsgCode).toBe(4);
    expect(st(await c.query({ FormId: "BD_Customer", FieldKeys: "FNumber", Limit: -1 })).MsgCode).toBe(8);
    const bq = await c.call<Record<string, unknown>[]>(`${SVC}.BillQuery`, { data: { FormId: "BD_Customer", FieldKeys: "FNumber,FName", FilterString: "FNumber='Q01'" } });
    expect(bq).toEqual([{ FNumber: "Q01", FName: "客户Q01" }]);
  });
});

// ---------------------------------------------------------------- faults

describe("kingdee: faults", () => {
  it("rowFailureRate rejects rows with a validation message; the rest are saved", async () => {
    const c = new Client("signed");
    await sandbox("config", { rowFailureRate: 1 });
    const all = await c.save("BD_Customer", { Model: [cust("F1"), cust("F2")] }, "BatchSave");
    expect(all.Result.ResponseStatus.Errors.map((e) => e.DIndex)).toEqual([0, 1]);
    expect(all.Result.ResponseStatus.Errors[0].Message).toMatch(/[\u4e00-\u9fa5]/);
    await sandbox("config", { rowFailureRate: 0.5, seed: 99 });
    const model = Array.from({ length: 40 }, (_, i) => cust(`H${i}`));
    const half = await c.save("BD_Customer", { Model: model }, "BatchSave");
    const failed = half.Result.ResponseStatus.Errors.length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    expect(half.Result.ResponseStatus.SuccessEntitys.length + failed).toBe(40);
    expect((await documents("BD_Customer")).count).toBe(40 - failed);
  });

  it("failNext vendor errors, HTTP status and drops; qps → MsgCode 14; errorRate; async mode wrapper", async () => {
    const c = new Client("signed");
    await sandbox("config", {
      failNext: [{ method: "BatchSave", vendorError: "sessionLost" }, { method: "ExecuteBillQuery", status: 502 }, { drop: true }],
    });
    const lost = await c.save("BD_Customer", { Model: [cust("X1")] }, "BatchSave");
    expect(lost.Result.ResponseStatus.MsgCode).toBe(1);
    expect((await c.raw(`${SVC}.ExecuteBillQuery`, { data: { FormId: "BD_Customer", FieldKeys: "FNumber" } })).status).toBe(502);
    await expect(c.raw(`${SVC}.View`, { formid: "BD_Customer", data: { Number: "X1" } })).rejects.toThrow();
    expect((await documents("BD_Customer")).count).toBe(0);
    await sandbox("config", { qps: 2 });
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const codes = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await c.save("BD_Customer", { Model: cust(`QPS${i}`) })).Result.ResponseStatus.MsgCode));
    const ok = codes.filter((x) => x === 0).length;
    expect(ok).toBeGreaterThanOrEqual(2);
    expect(ok).toBeLessThanOrEqual(4);
    expect(codes.filter((x) => x !== 0).every((x) => x === 14)).toBe(true);
    await sandbox("config", { qps: 0, errorRate: 1 });
    expect([500, 502]).toContain((await c.raw(`${SVC}.View`, { formid: "BD_Customer", data: { Number: "X1" } })).status);
    await sandbox("config", { errorRate: 0 });
    const asyncR = await c.call<{ TaskId: string; Status: number; Result: { Result: { ResponseStatus: RS } } }>(`${SVC}.BatchSave`, {
      formid: "BD_Customer",
      data: { Model: [cust("AS1")] },
      beginmethod: "BeginQueryImpl",
      querymethod: "QueryAsyncResult",
    });
    expect(asyncR.Status).toBe(2);
    expect(asyncR.Result.Result.ResponseStatus.IsSuccess).toBe(true);
    const state = await sandbox("state");
    expect((state.requests as Record<string, number>).BatchSave).toBeGreaterThanOrEqual(2);
    expect((state.documents as Record<string, number>).BD_Customer).toBe(ok + 1);
    expect(state.credentials).toEqual(sim.credentials);
  });
});
