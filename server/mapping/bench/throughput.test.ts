import { describe, expect, it } from "vitest";
import { measure } from "./throughput";

describe("compileMapper throughput", () => {
  // a loose floor (the machine is shared); the real figure comes from `npx tsx server/mapping/bench/throughput.ts`
  it("maps a 6-field record well above 20k records/s", async () => {
    const { median } = await measure(30_000, 3);
    expect(median).toBeGreaterThan(20_000);
  });
});
