/**
 * The designer's problem sentences: every compiler code is worded in both languages, nodes are named by
 * their titles (never by ids such as mapper-1), fields by their labels, and no placeholder is left open.
 */
import { describe, expect, it } from "vitest";
import { compileFlow, PROBLEM_CODES } from "@/server/flows/compile";
import { messages, translate, type Locale, type MessageKey } from "../i18n/messages";
import { formatProblem, type NodeRef } from "./problems";

const draft = {
  schemaVersion: 1,
  nodes: [
    { id: "source", type: "source", position: { x: 0, y: 0 }, data: { connectionId: "sandbox-guanyi", apiId: "guanyi.gy.erp.shop.get", params: { modify_start_date: "{{LAST_SYNC}}" }, idField: "id", options: {} } },
    { id: "mapper-1", type: "mapper", label: "Customer mapping", position: { x: 0, y: 0 }, data: { fields: [] } },
    { id: "target-1", type: "target", position: { x: 0, y: 0 }, data: { connectionId: "", apiId: "kingdee.BatchSave", formId: "", options: {} } },
    { id: "filter-1", type: "filter", position: { x: 0, y: 0 }, data: { condition: [[]] } },
  ],
  edges: [
    { id: "e1", source: "source", target: "mapper-1" },
    { id: "e2", source: "mapper-1", target: "filter-1" },
    { id: "e3", source: "filter-1", target: "mapper-1" },
  ],
};
const refs = new Map<string, NodeRef>(draft.nodes.map((n) => [n.id, { id: n.id, type: n.type, data: { label: n.label } }]));

describe("problem sentences", () => {
  it("every code has a sentence in both languages", () => {
    for (const code of PROBLEM_CODES) {
      const key = `problem.${code}` as MessageKey;
      expect(messages.zh[key], code).toBeTruthy();
      expect(messages.en[key], code).toBeTruthy();
      expect(messages.en[key], code).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("a draft's problems read in Chinese and English with titles and labels, not ids and paths", async () => {
    const r = await compileFlow(draft, { resolveConnection: async (id) => (id === "sandbox-guanyi" ? { vendor: "guanyi" } : undefined) });
    expect(r.problems.length).toBeGreaterThan(4);
    for (const locale of ["zh", "en"] as Locale[]) {
      const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
      const lines = r.problems.map((p) => formatProblem(p, t, refs));
      const text = lines.join("\n");
      for (const line of lines) expect(line).not.toMatch(/\{(\w+)\}(?!\})/); // no unfilled placeholder
      expect(text).not.toMatch(/mapper-1|target-1|filter-1|nodes\.\d/);
      if (locale === "zh") {
        expect(text).toContain("「目标」：请填写「连接」");
        expect(text).toContain("「Customer mapping」还没有任何字段映射");
        expect(text).toContain("{{LAST_SYNC}}");
        expect(text).toMatch(/环：Customer mapping → 过滤 → Customer mapping/);
      } else {
        expect(text).toContain("“Target”: fill in “Connection”");
        expect(text).toContain("“Customer mapping” maps no fields yet");
        expect(text).toContain("“Request parameters · modify_start_date” of “Source” names a variable that does not exist: {{LAST_SYNC}}");
        expect(text).not.toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });
});
