/** Imports are bounded: a Qeasy paste or a scheme file over 5 MB is refused with the limit named. */
import { describe, expect, it } from "vitest";
import { boundedJson, MAX_IMPORT_BYTES } from "./limits";
import { QeasyImportInput } from "./routers/qeasy";

describe("import size limits", () => {
  it("a Qeasy source over 5 MB is refused, naming the part and the limit; one under it passes", () => {
    const big = { api: "x", request: [{ field: "a", value: "y".repeat(MAX_IMPORT_BYTES) }] };
    const r = QeasyImportInput.safeParse({ source: big, target: {} });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["source"]);
    expect(r.error?.issues[0].message).toContain("5 MB");
    expect(QeasyImportInput.safeParse({ source: { api: "x" }, target: { api: "y" } }).success).toBe(true);
  });

  it("multi-byte text counts in bytes", () => {
    const schema = boundedJson("文件", 1000);
    expect(schema.safeParse("数".repeat(300)).success).toBe(true);
    expect(schema.safeParse("数".repeat(400)).success).toBe(false);
  });
});
