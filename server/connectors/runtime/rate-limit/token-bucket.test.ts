import { describe, expect, it } from "vitest";
import { ConnectorError } from "../../errors";
import { RateLimit } from "../../schema";
import { MemoryRateLimitStore } from "./memory-store";
import { acquireBudget } from "./token-bucket";

describe("token bucket (GCRA) store", () => {
  it("spaces reservations evenly with burst 1", async () => {
    const s = new MemoryRateLimitStore();
    const spec = { intervalMs: 50, burst: 1 };
    expect(await s.reserve("k", spec, 1000)).toBe(0);
    expect(await s.reserve("k", spec, 1000)).toBe(50);
    expect(await s.reserve("k", spec, 1000)).toBe(100);
    expect(await s.reserve("k", spec, 1200)).toBe(0); // idle time does not accumulate beyond burst
    expect(await s.reserve("other", spec, 1000)).toBe(0);
  });
  it("allows `burst` calls back to back", async () => {
    const s = new MemoryRateLimitStore();
    const spec = { intervalMs: 100, burst: 3 };
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await s.reserve("k", spec, 0));
    expect(waits).toEqual([0, 0, 0, 100, 200]);
  });
  it("never lets more than the limit into any 1-second window", async () => {
    const s = new MemoryRateLimitStore();
    const times: number[] = [];
    for (let i = 0; i < 200; i++) times.push(0 + (await s.reserve("k", { intervalMs: 1000 / (20 * 0.95), burst: 1 }, 0)));
    for (let w = 0; w < 10_000; w += 7) expect(times.filter((t) => t >= w && t < w + 1000).length).toBeLessThanOrEqual(20);
  });
  it("fails when the monthly quota is used up", async () => {
    const s = new MemoryRateLimitStore();
    const limit = RateLimit.parse({ perMonth: 2 });
    await acquireBudget(s, "a", limit);
    await acquireBudget(s, "a", limit);
    await expect(acquireBudget(s, "a", limit)).rejects.toBeInstanceOf(ConnectorError);
  });
});
