import { describe, expect, it } from "vitest";
import { parseFind, runFind } from "./find";

describe("_findCollection", () => {
  it("parses field, flow id and AND-ed where clauses", () => {
    const s = parseFind("find FIsKFPeriod from 66da8241-1c2d-3e4f where FNumber={{details.item_code}} FUseOrgId={{org}}");
    expect(s.field).toBe("FIsKFPeriod");
    expect(s.flowId).toBe("66da8241-1c2d-3e4f");
    expect(s.where.map((w) => w.key)).toEqual(["FNumber", "FUseOrgId"]);
  });
  it("renders where values as text and returns null when not found", async () => {
    const s = parseFind("find FID from f1 where FNumber={{code}} n={{n}}");
    const seen: unknown[] = [];
    const v = await runFind(s, { record: { code: "C1", n: 5 } }, { vars: {} }, async (q) => {
      seen.push(q);
      return undefined;
    });
    expect(v).toBeNull();
    expect(seen).toEqual([{ flowId: "f1", field: "FID", where: { FNumber: "C1", n: "5" } }]);
  });
  it("syntax errors explain the expected form", () => {
    for (const t of ["", "find", "find X", "find X from", "find X in f", "find X from f when a=1", "find X from f where", "find X from f where nope"])
      expect(() => parseFind(t), t).toThrow(/_findCollection 语法错误/);
  });
  it("values with spaces continue the previous clause", () => {
    expect(parseFind("find X from f where name={{a}} {{b}}").where[0].value.source).toBe("{{a}} {{b}}");
  });
});
