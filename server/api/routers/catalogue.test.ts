/**
 * The designer's pickers come from the server's own registries: every API id the catalogue offers is
 * one the connector layer accepts, every parser is one the mapper resolves, and the Kingdee form
 * catalogue agrees with the sandbox simulator's form metadata (required fields, entry tables).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiIds } from "@/server/connectors";
import { compileMapper } from "@/server/mapping";
import { FORMS } from "@/server/testing/simulators/kingdee/forms";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, type TestDb } from "../../testing/db";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);

describe("catalogue", () => {
  let t: TestDb;
  let api: ReturnType<typeof createCaller>;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
    api = createCaller(asAdmin(t.db));
  });
  afterAll(async () => t?.drop());

  it("lists the connector APIs with kinds, labels and page-size caps", async () => {
    const apis = await api.catalogue.apis();
    expect(apis.map((a) => a.id).sort()).toEqual([...apiIds].sort());
    const shop = apis.find((a) => a.id === "guanyi.gy.erp.shop.get");
    expect(shop).toMatchObject({ kind: "source", vendor: "guanyi", maxPageSize: 100, idField: "id", numberField: "code" });
    expect(apis.find((a) => a.id === "dingtalk.processinstance")?.maxPageSize).toBe(20);
    expect(apis.find((a) => a.id === "kingdee.BatchSave")?.kind).toBe("target");
    expect(shop?.paging).toBe("PageIncrement");
    expect(apis.find((a) => a.id === "dingtalk.processinstance")?.paging).toBe("CursorPagination");
    expect(apis.find((a) => a.id === "kingdee.ExecuteBillQuery")?.paging).toBe("OffsetIncrement");
    expect(JSON.parse(JSON.stringify(apis))).toEqual(apis);
  });

  it("lists parsers the mapper resolves, with typed parameters", async () => {
    const parsers = await api.catalogue.parsers();
    const co = parsers.find((p) => p.name === "ConvertObjectParser");
    expect(co?.params).toEqual([expect.objectContaining({ name: "key", type: "string", required: true })]);
    expect(parsers.find((p) => p.name === "Dictionary")?.params.find((p) => p.name === "map")?.type).toBe("json");
    for (const p of parsers) {
      const generic = Object.fromEntries(p.params.filter((x) => x.required).map((x) => [x.name, x.type === "json" ? { a: "b" } : x.type === "number" ? 1 : x.type === "boolean" ? true : "FNumber"]));
      const params = sampleParams(p.name) ?? (Object.keys(generic).length ? generic : undefined);
      expect(() => compileMapper([{ field: "X", value: "1", parsers: [{ name: p.name, params }] }]), p.name).not.toThrow();
    }
  });

  it("offers Kingdee forms consistent with the sandbox simulator", async () => {
    const forms = await api.catalogue.forms();
    for (const form of forms) {
      const sim = FORMS[form.formId];
      expect(sim, form.formId).toBeDefined();
      expect(form.businessKeyField).toBe(sim.numberField);
      const keys = new Set(form.fields.map((f) => f.key.toLowerCase()));
      for (const f of sim.fields.filter((x) => x.required)) expect(keys.has(f.key.toLowerCase()), `${form.formId}.${f.key}`).toBe(true);
      for (const f of form.fields.filter((x) => x.required && x.key !== "FNumber")) expect(sim.fields.some((s) => s.key === f.key && s.required), `${form.formId}.${f.key}`).toBe(true);
      if (sim.entry) expect(form.entry?.key).toBe(sim.entry.key);
    }
    expect(await api.catalogue.variables()).toContain("LAST_SYNC_TIME");
  });
});

function sampleParams(name: string): Record<string, unknown> | undefined {
  switch (name) {
    case "ConvertObjectParser":
      return { key: "FNumber" };
    case "ConvertTwoStageObjectParser":
      return { params1: "A", params2: "B" };
    case "Dictionary":
      return { map: { a: "b" } };
    case "Substring":
      return { start: 0, length: 1 };
    case "RegexReplace":
      return { pattern: "a", replacement: "b" };
    case "DateFormat":
      return { format: "yyyy-MM-dd" };
    case "Case":
      return { to: "upper" };
    default:
      return undefined;
  }
}
