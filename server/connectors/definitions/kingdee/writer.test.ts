import { describe, expect, it } from "vitest";
import { mapSaveResult } from "./writer";

const env = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ Result: { ResponseStatus: status, ...extra } });

describe("Kingdee save result → row outcomes", () => {
  it("maps BatchSave partial failure by DIndex, in input order", () => {
    const out = mapSaveResult(
      env({
        IsSuccess: false,
        MsgCode: 11,
        Errors: [{ FieldName: "FNumber", Message: "编码唯一性验证不通过", DIndex: 1 }],
        SuccessEntitys: [
          { Id: "100", Number: "C0", DIndex: 0 },
          { Id: "102", Number: "C2", DIndex: 2 },
        ],
      }),
      3,
    );
    expect(out).toEqual([
      { status: "written", targetId: "100", targetNumber: "C0", response: { Id: "100", Number: "C0", DIndex: 0 } },
      { status: "failed", message: "编码唯一性验证不通过", field: "FNumber", retryable: false, response: { FieldName: "FNumber", Message: "编码唯一性验证不通过", DIndex: 1 } },
      { status: "written", targetId: "102", targetNumber: "C2", response: { Id: "102", Number: "C2", DIndex: 2 } },
    ]);
  });

  it("joins several errors of one row and applies un-indexed errors to every unsaved row", () => {
    const out = mapSaveResult(
      env({ IsSuccess: false, MsgCode: 11, Errors: [{ Message: "a", DIndex: 0 }, { Message: "b", DIndex: 0 }, { FieldName: null, Message: "整单错误" }] }),
      2,
    );
    expect(out[0]).toMatchObject({ status: "failed", message: "a；b" });
    expect(out[1]).toMatchObject({ status: "failed", message: "整单错误", retryable: false });
  });

  it("maps a single Save (no DIndex) and flags rows with no result as unknown + retryable", () => {
    expect(mapSaveResult(env({ IsSuccess: true, SuccessEntitys: [] }, { Id: "7", Number: "N7" }), 1)[0]).toMatchObject({ status: "written", targetId: "7", targetNumber: "N7" });
    expect(mapSaveResult(env({ IsSuccess: true, SuccessEntitys: [{ Id: "9", Number: "N9" }] }), 1)[0]).toMatchObject({ status: "written", targetId: "9" });
    expect(mapSaveResult(env({ IsSuccess: true, SuccessEntitys: [{ Id: "1", DIndex: 0 }] }), 2)[1]).toMatchObject({ status: "failed", retryable: true });
  });

  it("marks network-control conflicts (MsgCode 13) retryable", () => {
    expect(mapSaveResult(env({ IsSuccess: false, MsgCode: 13, Errors: [{ Message: "网控冲突", DIndex: 0 }] }), 1)[0]).toMatchObject({ retryable: true });
  });
});

describe("Kingdee whole-call failures", () => {
  it("applies a non-row error (MsgCode 8, DIndex 0) to every row", () => {
    const out = mapSaveResult(env({ IsSuccess: false, MsgCode: 8, Errors: [{ FieldName: null, Message: "Model 不能为空", DIndex: 0 }], SuccessEntitys: [] }), 3);
    expect(out.map((o) => o.status === "failed" && o.message)).toEqual(["Model 不能为空", "Model 不能为空", "Model 不能为空"]);
  });
});
