/**
 * The run-events router over real HTTP: tRPC's httpSubscriptionLink against a node http server with
 * the standalone adapter. Backfill from the database, follow the bus, no gaps, no duplicates, resume
 * after lastEventId, end after run.finished; start / cancel / rerun mutations.
 */
import http from "node:http";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEventsRouter, type RunEventDto } from "@/server/api/routers/run-events";
import { createTRPCRouter } from "@/server/api/trpc";
import type { Simulators } from "@/server/testing/simulators";
import { MiniEventSource } from "./mini-eventsource";
import { createRun, executeRun } from "./service";
import { importExample, simConfig, sqliteDb, startSandbox, type TestDb } from "./test-helpers";
import { asAdmin } from "@/server/testing/auth";

const router = createTRPCRouter({ runEvents: runEventsRouter });
type Router = typeof router;

describe("runEvents router over HTTP (SSE)", () => {
  let t: TestDb;
  let sims: Simulators;
  let server: http.Server;
  let client: ReturnType<typeof createTRPCClient<Router>>;
  let flowId: string;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: 120 } } });
    flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (d) => {
      const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
      nodes.find((n) => n.type === "source")!.data.pageSize = 20;
      nodes.find((n) => n.type === "target")!.data.batchSize = 20;
    });
    const handler = createHTTPHandler({ router, createContext: () => asAdmin(t.db) });
    server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    client = createTRPCClient<Router>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url, transformer: superjson, EventSource: MiniEventSource as unknown as typeof EventSource }),
          false: httpBatchLink({ url, transformer: superjson }),
        }),
      ],
    });
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await sims?.close();
    await t?.drop();
  });

  function collect(runId: string, lastEventId?: string): Promise<RunEventDto[]> {
    return new Promise((resolve, reject) => {
      const got: RunEventDto[] = [];
      const sub = client.runEvents.onEvents.subscribe(
        { runId, lastEventId },
        {
          onData: (e) => {
            got.push(e.data);
          },
          onError: reject,
          onComplete: () => resolve(got),
        },
      );
      setTimeout(() => {
        sub.unsubscribe();
        reject(new Error(`timeout; got ${got.length} events`));
      }, 30_000);
    });
  }

  it("backfills a finished run from the database and ends after run.finished", async () => {
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    await executeRun(t.db, runId);
    const stored = await t.db.runEvent.count({ where: { runId } });
    const all = await collect(runId);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
    expect(all[all.length - 1].type).toBe("run.finished");
    const tail = await collect(runId, "5");
    expect(tail.map((e) => e.seq)).toEqual(Array.from({ length: stored - 5 }, (_, i) => i + 6));
  });

  it("follows a live run started through the API without gaps or duplicates", async () => {
    await simConfig(sims.kingdee.url, { latencyMs: 30 });
    const { runId } = await client.runEvents.start.mutate({ flowId, sandbox: true });
    const events = await collect(runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0].type).toBe("run.started");
    expect(events[events.length - 1].type).toBe("run.finished");
    const stored = await t.db.runEvent.count({ where: { runId } });
    expect(events).toHaveLength(stored);
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.status).toBe("succeeded"); // final status is stored before run.finished is published
    await simConfig(sims.kingdee.url, { latencyMs: 0 });
  });

  it("cancel stops a running run after its in-flight batch; rerun links to its parent", async () => {
    await fetch(`${sims.kingdee.url}/__sandbox/reset`, { method: "POST", body: "{}" }); // a new flow, a new target
    await simConfig(sims.kingdee.url, { latencyMs: 150 });
    const fresh = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (d) => {
      d.name = "cancel-me";
      const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
      nodes.find((n) => n.type === "source")!.data.pageSize = 10;
      nodes.find((n) => n.type === "target")!.data.batchSize = 5;
    });
    const { runId } = await client.runEvents.start.mutate({ flowId: fresh, sandbox: true });
    const events = collect(runId);
    for (;;) {
      const n = await t.db.runEvent.count({ where: { runId, type: "batch.written" } });
      if (n >= 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.runEvents.cancel.mutate({ runId });
    const got = await events;
    expect(got[got.length - 1].data?.status).toBe("cancelled");
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.status).toBe("cancelled");
    expect(run!.countWritten).toBeLessThan(120);
    expect(await t.db.syncIntent.count({ where: { flowId: fresh, open: true } })).toBe(0);
    await simConfig(sims.kingdee.url, { latencyMs: 0 });
    const { runId: rerunId, parentRunId } = await client.runEvents.rerun.mutate({ runId, mode: "whole" });
    expect(parentRunId).toBe(runId);
    const rerunEvents = await collect(rerunId);
    expect(rerunEvents[rerunEvents.length - 1].data?.status).toBe("succeeded");
    const rerun = await t.db.run.findUnique({ where: { id: rerunId } });
    expect(rerun?.parentRunId).toBe(runId);
    expect(rerun!.countWritten + rerun!.countSkipped).toBe(120);
    expect(rerun!.countSkipped).toBe(run!.countWritten);
  });
});
