import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("workflowRequestTableFields", () => {
  it("builds the Weaver field object, name defaults to the target field", () => {
    expect(runParser("workflowRequestTableFields", { fieldId: 123 }, "100")).toEqual({ fieldName: "F", fieldValue: "100", view: true, edit: true, fieldId: 123 });
    expect(runParser("workflowRequestTableFields", { fieldName: "je", view: false }, 1)).toEqual({ fieldName: "je", fieldValue: 1, view: false, edit: true });
  });
});
