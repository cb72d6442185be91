import { describe, expect, it } from "vitest";
import { Exponential } from "../../schema";
import { exponentialDelay } from "./exponential";

describe("Exponential backoff", () => {
  it("grows by factor and caps at maxMs", () => {
    const def = Exponential.parse({ type: "Exponential", baseMs: 100, factor: 2, maxMs: 500, jitter: "none" });
    expect([1, 2, 3, 4, 5].map((a) => exponentialDelay(def, a))).toEqual([100, 200, 400, 500, 500]);
  });
  it("jitters within bounds", () => {
    const def = Exponential.parse({ type: "Exponential", baseMs: 100, jitter: "equal" });
    for (let i = 0; i < 50; i++) {
      const d = exponentialDelay(def, 2);
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
    const full = Exponential.parse({ type: "Exponential", baseMs: 100, jitter: "full" });
    expect(exponentialDelay(full, 1, () => 0)).toBe(0);
  });
});
