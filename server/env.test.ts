/**
 * The run concurrency setting: a default sized for the machine, and a clear sentence for a bad value.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, defaultRunConcurrency, readEnv } from "./env";

describe("SHUQIAO_RUN_CONCURRENCY", () => {
  it("defaults to one run per core, at least 2", () => {
    expect(defaultRunConcurrency(1)).toBe(2);
    expect(defaultRunConcurrency(8)).toBe(8);
    expect(readEnv({} as unknown as NodeJS.ProcessEnv).runConcurrency).toBe(defaultRunConcurrency());
  });

  it("takes an integer from 1 to 64 and refuses anything else by name", () => {
    expect(readEnv({ SHUQIAO_RUN_CONCURRENCY: "6" } as unknown as NodeJS.ProcessEnv).runConcurrency).toBe(6);
    for (const bad of ["0", "65", "two", "1.5"]) {
      expect(() => readEnv({ SHUQIAO_RUN_CONCURRENCY: bad } as unknown as NodeJS.ProcessEnv)).toThrow(ConfigError);
      expect(() => readEnv({ SHUQIAO_RUN_CONCURRENCY: bad } as unknown as NodeJS.ProcessEnv)).toThrow(/配置错误 SHUQIAO_RUN_CONCURRENCY: 必须是 1 到 64 之间的整数/);
    }
  });
});
