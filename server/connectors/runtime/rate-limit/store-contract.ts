/**
 * The behaviour every RateLimitStore must have, as a reusable vitest suite.
 *
 * Why this exists: the distributed mode will add a PostgreSQL store; running this same suite against
 * it proves it spaces calls exactly like the in-memory one (and never lets a fixed 1-second window
 * see more than the limit).
 */
import { describe, expect, it } from "vitest";
import type { RateLimitStore } from "./store";

export function describeRateLimitStore(name: string, make: () => RateLimitStore | Promise<RateLimitStore>): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    it("spaces reservations evenly with burst 1 and does not bank idle time", async () => {
      const s = await make();
      const spec = { intervalMs: 50, burst: 1 };
      expect(await s.reserve("k", spec, 1000)).toBe(0);
      expect(await s.reserve("k", spec, 1000)).toBe(50);
      expect(await s.reserve("k", spec, 1000)).toBe(100);
      expect(await s.reserve("k", spec, 1200)).toBe(0);
      expect(await s.reserve("other", spec, 1000)).toBe(0);
    });
    it("allows `burst` calls back to back", async () => {
      const s = await make();
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) waits.push(await s.reserve("b", { intervalMs: 100, burst: 3 }, 0));
      expect(waits).toEqual([0, 0, 0, 100, 200]);
    });
    it("never lets more than 20 calls into any 1-second window at 95 % of 20/s", async () => {
      const s = await make();
      const times: number[] = [];
      for (let i = 0; i < 200; i++) times.push(await s.reserve("w", { intervalMs: 1000 / (20 * 0.95), burst: 1 }, 0));
      for (let w = 0; w < 10_000; w += 7) expect(times.filter((t) => t >= w && t < w + 1000).length).toBeLessThanOrEqual(20);
    });
    it("counts quota per window and restarts in a new window", async () => {
      const s = await make();
      expect(await s.incrementQuota("q", "2026-11")).toBe(1);
      expect(await s.incrementQuota("q", "2026-11")).toBe(2);
      expect(await s.incrementQuota("q", "2026-12")).toBe(1);
    });
  });
}
