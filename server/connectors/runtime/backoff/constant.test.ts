import { describe, expect, it } from "vitest";
import { constantDelay } from "./constant";

describe("Constant backoff", () => {
  it("always waits the same", () => {
    expect(constantDelay({ type: "Constant", ms: 1000 })).toBe(1000);
  });
});
