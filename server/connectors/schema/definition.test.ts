import { describe, expect, it } from "vitest";
import { z } from "zod";
import { dingtalkDefinition } from "../definitions/dingtalk";
import { guanyiDefinition } from "../definitions/guanyi";
import { kingdeeDefinition } from "../definitions/kingdee";
import { ConnectorDefinition, formatIssues } from "./index";

describe("connector definition schema", () => {
  it("accepts the built-in vendor definitions", () => {
    for (const d of [guanyiDefinition, dingtalkDefinition, kingdeeDefinition]) expect(ConnectorDefinition.safeParse(d).success).toBe(true);
  });

  it("rejects a wrong slot type with the path to the bad field", () => {
    const bad = structuredClone(guanyiDefinition) as unknown as { apis: { paginator: { type: string } }[] };
    bad.apis[1].paginator.type = "PageNumber";
    const r = ConnectorDefinition.safeParse(bad);
    expect(r.success).toBe(false);
    const issue = (r as { error: z.ZodError }).error.issues[0];
    expect(issue.path).toEqual(["apis", 1, "paginator", "type"]);
    expect(formatIssues((r as { error: z.ZodError }).error)).toMatch(/^apis\.1\.paginator\.type: /);
  });

  it("rejects a bad authenticator and a bad response filter action with their paths", () => {
    const bad = structuredClone(dingtalkDefinition) as unknown as Record<string, unknown> & { errorHandler: { filters: { action: string }[] } };
    bad.authenticator = { type: "OAuth3" };
    bad.errorHandler.filters[2].action = "EXPLODE";
    const r = ConnectorDefinition.safeParse(bad);
    expect(r.success).toBe(false);
    const paths = (r as { error: z.ZodError }).error.issues.map((i) => i.path.join("."));
    expect(paths).toContain("authenticator.type");
    expect(paths).toContain("errorHandler.filters.2.action");
  });
});
