/**
 * The entry point starts all three simulators together (port 0) and closes them; a busy port
 * is reported as EADDRINUSE and leaves nothing running.
 */
import { describe, expect, it } from "vitest";
import { startGuanyiSimulator, startSimulators } from "./index";

describe("startSimulators", () => {
  it("starts guanyi, dingtalk and kingdee with their demo credentials and closes them", async () => {
    const sims = await startSimulators({ config: { guanyi: { shops: 5 }, dingtalk: { approvals: 4 } } });
    try {
      for (const s of [sims.guanyi, sims.dingtalk, sims.kingdee]) {
        expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const st = (await (await fetch(`${s.url}/__sandbox/state`)).json()) as { name: string; credentials: Record<string, string> };
        expect(st.name).toBe(s.name);
        expect(st.credentials).toEqual(s.credentials);
      }
      expect(Object.keys(sims.guanyi.credentials).sort()).toEqual(["appkey", "secret", "sessionkey"]);
      expect(Object.keys(sims.dingtalk.credentials)).toEqual(expect.arrayContaining(["appkey", "appsecret"]));
      expect(Object.keys(sims.kingdee.credentials)).toEqual(expect.arrayContaining(["acctId", "username", "password", "appId", "appSecret", "lcid"]));
      const g = (await (await fetch(`${sims.guanyi.url}/__sandbox/state`)).json()) as { datasets: { shops: number } };
      expect(g.datasets.shops).toBe(5);
    } finally {
      await sims.close();
    }
    await expect(fetch(`${sims.kingdee.url}/__sandbox/state`)).rejects.toThrow();
  });

  it("rejects with EADDRINUSE when a port is taken and closes the ones it started", async () => {
    const busy = await startGuanyiSimulator({ port: 0 });
    try {
      await expect(startSimulators({ ports: { guanyi: busy.port } })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await busy.close();
    }
  });
});
