/**
 * A run's status says what happened: succeeded = nothing failed or invalid; partial = something
 * reached the target and something failed/invalid; failed = nothing reached it and something
 * failed/invalid (issue #15: 0 written + 1,000 failed was labelled 部分成功).
 */
import { describe, expect, it } from "vitest";
import { outcomeStatus } from "./executor";
import { emptyCounts } from "./types";

const c = (patch: Partial<ReturnType<typeof emptyCounts>>) => ({ ...emptyCounts(), ...patch });

describe("outcomeStatus", () => {
  it("0 written and 1,000 failed is failed, not partial", () => {
    expect(outcomeStatus(c({ read: 1000, failed: 1000 }))).toBe("failed");
    expect(outcomeStatus(c({ read: 10, invalid: 4, failed: 6 }))).toBe("failed");
  });
  it("some written and some failed or invalid is partial", () => {
    expect(outcomeStatus(c({ read: 1000, written: 1, failed: 999 }))).toBe("partial");
    expect(outcomeStatus(c({ read: 10, written: 9, invalid: 1 }))).toBe("partial");
  });
  it("unchanged records skipped count as being at the target (CHOICE in executor.ts)", () => {
    expect(outcomeStatus(c({ read: 1000, skipped: 999, failed: 1 }))).toBe("partial");
  });
  it("nothing failed or invalid is succeeded, even when nothing was read or everything was filtered", () => {
    expect(outcomeStatus(c({}))).toBe("succeeded");
    expect(outcomeStatus(c({ read: 5, filtered: 5 }))).toBe("succeeded");
    expect(outcomeStatus(c({ read: 5, written: 5 }))).toBe("succeeded");
  });
});
