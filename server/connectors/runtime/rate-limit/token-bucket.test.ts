import { describe, expect, it } from "vitest";
import { ConnectorError } from "../../errors";
import { RateLimit } from "../../schema";
import { MemoryRateLimitStore } from "./memory-store";
import { describeRateLimitStore } from "./store-contract";
import { acquireBudget } from "./token-bucket";

describeRateLimitStore("memory", () => new MemoryRateLimitStore());

describe("acquireBudget", () => {
  it("waits for the slowest of the per-second and per-minute buckets", async () => {
    const s = new MemoryRateLimitStore();
    const limit = RateLimit.parse({ perSecond: 1000, perMinute: 60_000 / 20, safetyFactor: 1 });
    expect(await acquireBudget(s, "a", limit)).toBe(0);
    const t0 = Date.now();
    const waited = await acquireBudget(s, "a", limit);
    expect(waited).toBeGreaterThan(10);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(10);
  });
  it("never sends more than perSecond calls in any sliding second, even after a stall", async () => {
    const s = new MemoryRateLimitStore();
    const limit = RateLimit.parse({ perSecond: 5, burst: 5, safetyFactor: 1 }); // a bucket that would allow bursts
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 7 }, async () => {
      await acquireBudget(s, "guard", limit);
      sent.push(Date.now());
    }));
    sent.sort((a, b) => a - b);
    for (let i = 5; i < sent.length; i++) expect(sent[i] - sent[i - 5]).toBeGreaterThanOrEqual(1000);
  });
  it("fails when the monthly quota is used up", async () => {
    const s = new MemoryRateLimitStore();
    const limit = RateLimit.parse({ perMonth: 2 });
    await acquireBudget(s, "a", limit);
    await acquireBudget(s, "a", limit);
    await expect(acquireBudget(s, "a", limit)).rejects.toBeInstanceOf(ConnectorError);
  });
  it("is interrupted by an abort signal", async () => {
    const s = new MemoryRateLimitStore();
    const limit = RateLimit.parse({ perSecond: 1, safetyFactor: 1 });
    await acquireBudget(s, "a", limit);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("stop")), 10);
    await expect(acquireBudget(s, "a", limit, ac.signal)).rejects.toThrow("stop");
  });
});
