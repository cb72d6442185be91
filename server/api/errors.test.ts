/**
 * Every layer's errors reach the caller with the right tRPC code and a message a person can act on;
 * a bug or a database driver's text never does (it is logged instead). Exercised through tRPC's own
 * HTTP handler (so the error formatter runs as it does for the browser), with a real database, the
 * real simulators, and the errors the layers really throw.
 */
process.env.SHUQIAO_SECRET_KEY ??= "44".repeat(32);
process.env.SHUQIAO_PREVIEW_TIMEOUT_SEC = "1"; // read once by server/env.ts, on the first preview
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import guanyi from "@/examples/guanyi-shops-to-kingdee-customers.json";
import { ConnectorError } from "@/server/connectors/errors";
import type { Db } from "@/server/db";
import { MappingError } from "@/server/mapping/errors";
import { compileMapper } from "@/server/mapping";
import { ConnectionError, ensureSandboxConnections } from "@/server/runs/connections";
import { createTestDb, type TestDb } from "@/server/testing/db";
import { startSimulators, type Simulators } from "@/server/testing/simulators";
import { simConfig } from "@/server/runs/test-helpers";
import { toTRPCError } from "./errors";
import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);

/** One tRPC call over the fetch adapter, as the browser makes it; returns the JSON error body. */
async function httpCall(db: Db, path: string, input: unknown, method: "GET" | "POST" = "GET") {
  const enc = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const req =
    method === "GET"
      ? new Request(`http://localhost/api/trpc/${path}?input=${enc}`)
      : new Request(`http://localhost/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(superjson.serialize(input)) });
  const res = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => asAdmin(db) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as { error?: { json: { message: string; data: { code: string; stack?: string } } } } };
}

describe("errors become tRPC errors by instanceof, not by name", () => {
  it("ConnectionError, MappingError, a connector timeout and a TypeError map to their codes", () => {
    const conn = toTRPCError(new ConnectionError("连接「金蝶正式」不存在或已删除"));
    expect([conn.code, conn.message]).toEqual(["PRECONDITION_FAILED", "连接「金蝶正式」不存在或已删除"]);

    // a real MappingError from the mapping layer's compiler
    let mapping: unknown;
    try {
      compileMapper([{ field: "FName", value: "{{name" }]);
    } catch (e) {
      mapping = e;
    }
    expect(mapping).toBeInstanceOf(MappingError);
    expect((mapping as MappingError).mappingCode).toBe("INVALID_MAPPING");
    const m = toTRPCError(mapping);
    expect(m.code).toBe("BAD_REQUEST");
    expect(m.message).toBe((mapping as Error).message);

    const timeout = toTRPCError(new ConnectorError({ failureType: "transient", timedOut: true, apiAsset: "guanyi.gy.erp.shop.get", message: "管易云接口超时：30 秒内没有响应" }));
    expect([timeout.code, timeout.message]).toEqual(["GATEWAY_TIMEOUT", "管易云接口超时：30 秒内没有响应"]);

    // the name is not what decides: an error that merely calls itself ConnectorError is a bug
    const impostor = Object.assign(new Error("secret internals"), { name: "ConnectorError", failureType: "config" });
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const i = toTRPCError(impostor);
      expect(i.code).toBe("INTERNAL_SERVER_ERROR");
      expect(i.message).not.toContain("secret internals");
      const bug = toTRPCError(new TypeError("Cannot read properties of undefined (reading 'x')"));
      expect(bug.code).toBe("INTERNAL_SERVER_ERROR");
      expect(bug.message).toMatch(/服务器内部错误/);
      expect(bug.message).not.toContain("reading 'x'");
      expect(spy).toHaveBeenCalled(); // logged on the server instead
    } finally {
      spy.mockRestore();
    }
    expect(toTRPCError(new TRPCError({ code: "FORBIDDEN", message: "x" })).code).toBe("FORBIDDEN");
  });

  describe("through the HTTP handler, with a real database and the simulators", () => {
    let t: TestDb;
    let sims: Simulators;
    beforeAll(async () => {
      t = await createTestDb("sqlite");
      sims = await startSimulators();
      await ensureSandboxConnections(t.db, sims);
    });
    afterAll(async () => {
      await sims?.close();
      await t?.drop();
    });

    it("a Prisma error: generic message, no query text, no stack", async () => {
      await t.db.$executeRawUnsafe(`DROP TABLE "RunEvent"`);
      const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        const r = await httpCall(t.db, "runs.events", { runId: "r1" });
        expect(r.status).toBe(500);
        expect(r.body.error?.json.data.code).toBe("INTERNAL_SERVER_ERROR");
        expect(r.body.error?.json.message).toMatch(/服务器内部错误/);
        expect(r.text).not.toMatch(/invocation|runEvent\.findMany|RunEvent|prisma/i);
        expect(r.body.error?.json.data.stack ?? null).toBeNull();
        expect(r.text).not.toMatch(/\n\s+at /);
        expect(spy).toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
    });

    it("a ConnectionError keeps its code and message over HTTP", async () => {
      const doc = structuredClone(guanyi) as unknown as { nodes: { type: string; data: Record<string, unknown> }[] };
      doc.nodes.find((n) => n.type === "source")!.data.connectionId = "no-such-connection";
      const r = await httpCall(t.db, "preview.sample", { document: doc, limit: 5 }, "POST");
      expect(r.body.error?.json.data.code).toBe("PRECONDITION_FAILED");
      expect(r.status).toBe(412);
      expect(r.body.error?.json.message).toMatch(/连接/);
    });

    it("a preview against a slow vendor answers GATEWAY_TIMEOUT within its deadline", async () => {
      await simConfig(sims.guanyi.url, { latencyMs: 5_000 });
      try {
        const api = createCaller(asAdmin(t.db));
        const started = Date.now();
        const err = await api.preview.sample({ document: guanyi, sandbox: true, limit: 5 }).catch((e: unknown) => e);
        const ms = Date.now() - started;
        expect(err).toBeInstanceOf(TRPCError);
        expect((err as TRPCError).code).toBe("GATEWAY_TIMEOUT");
        expect((err as TRPCError).message).toMatch(/^预览超时：来源接口 guanyi\..* 在 1 秒内没有响应/);
        expect(ms).toBeLessThan(2_500);
      } finally {
        await simConfig(sims.guanyi.url, { latencyMs: 0 });
      }
    });
  });
});
