/**
 * Benchmark: the designer canvas with a 200-node scheme — frame times while dragging a node, and the
 * compressed JavaScript the designer route ships on first load.
 *
 * Why this exists: the goals are "dragging keeps up with the pointer (≥ 50 fps median, headless, on
 * this machine)" and "< 400 kB of compressed JavaScript for the designer route". This starts the built
 * app (scripts/start.ts, its own port, data dir and build dir; simulators off), creates a 200-node
 * scheme through the tRPC HTTP API, opens it in Debian's Chromium (playwright-core), drags a node in
 * 60 pointer steps while a requestAnimationFrame loop records every frame's timestamp, and sums the
 * gzip size of every script the page loaded. Not a timed test: run it by hand, figures go to README.md.
 *
 * Usage: npx tsx server/bench/ui/canvas.ts [--url http://127.0.0.1:3210] [--nodes 200] [--drags 5]
 * (without --url it starts the app on port 3210 with NEXT_DIST_DIR=.next-designer, DATA_DIR=data/bench-ui)
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const root = path.resolve(__dirname, "../../..");

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function startApp(port: number): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: path.join(root, "data/bench-ui"), NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-designer", SHUQIAO_SANDBOX: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", () => undefined);
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
  return child;
}

/** A runnable-shaped chain: source → 197 steps → mapper → target, laid out in a 10-column grid. */
export function bigDocument(n: number) {
  const kinds = ["filter", "validate", "clean"] as const;
  const nodes = Array.from({ length: n }, (_, i) => {
    const type = i === 0 ? "source" : i === n - 2 ? "mapper" : i === n - 1 ? "target" : kinds[i % 3];
    const data =
      type === "source"
        ? { connectionId: "沙箱-管易云", apiId: "guanyi.gy.erp.shop.get", params: {}, idField: "id", options: {} }
        : type === "mapper"
          ? { fields: [{ field: "FName", value: "{{name}}" }] }
          : type === "target"
            ? { connectionId: "沙箱-金蝶", apiId: "kingdee.BatchSave", formId: "BD_Customer", options: {} }
            : type === "filter"
              ? { condition: [[{ field: "code", logic: "notNull" }]] }
              : { rules: [] };
    return { id: `n${i}`, type, label: `节点 ${i}`, position: { x: (i % 10) * 240, y: Math.floor(i / 10) * 120 }, data };
  });
  const edges = nodes.slice(1).map((nd, i) => ({ id: `e${i}`, source: nodes[i].id, target: nd.id }));
  return { schemaVersion: 1, nodes, edges, settings: {} };
}

async function trpc(base: string, proc: string, input: unknown): Promise<unknown> {
  const r = await fetch(`${base}/api/trpc/${proc}`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ json: input }) });
  const body = (await r.json()) as { result?: { data?: { json?: unknown } }; error?: unknown };
  if (!r.ok) throw new Error(`${proc}: ${JSON.stringify(body.error)}`);
  return body.result?.data?.json;
}

function stats(deltas: number[]) {
  const s = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x: number) => Math.round(x * 10) / 10;
  return { frames: s.length, medianMs: r(q(0.5)), p95Ms: r(q(0.95)), maxMs: r(s[s.length - 1] ?? 0), medianFps: r(1000 / q(0.5)), p95Fps: r(1000 / q(0.95)) };
}

async function main() {
  const n = Number(arg("nodes", "200"));
  const drags = Number(arg("drags", "5"));
  let base = arg("url", "");
  let app: ChildProcess | null = null;
  if (!base) {
    const port = 3210;
    base = `http://127.0.0.1:${port}`;
    console.log(`starting the app on ${base} (builds into ${process.env.NEXT_DIST_DIR ?? ".next-designer"} if sources changed) …`);
    app = startApp(port);
  }
  try {
    await waitFor(`${base}/flows`, 300_000);
    const created = (await trpc(base, "flows.create", { name: `画布基准 ${n} 节点 ${Date.now()}`, document: bigDocument(n) })) as { id: string };
    const executablePath = process.env.CHROMIUM_PATH ?? execSync("command -v chromium || command -v chromium-browser", { encoding: "utf8" }).trim();
    const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });

    // first load: every script the designer route pulls in, gzip-compressed
    const scripts = new Map<string, number>();
    page.on("response", async (res) => {
      if (res.request().resourceType() !== "script") return;
      try {
        scripts.set(res.url(), gzipSync(await res.body(), { level: 9 }).length);
      } catch {
        /* redirected or aborted */
      }
    });
    const t0 = Date.now();
    await page.goto(`${base}/flows/${created.id}`, { waitUntil: "networkidle" });
    await page.waitForFunction((count) => document.querySelectorAll(".react-flow__node").length >= count, n, { timeout: 60_000 });
    const loadMs = Date.now() - t0;
    const rendered = await page.locator(".react-flow__node").count();
    const gzipTotal = [...scripts.values()].reduce((a, b) => a + b, 0);

    // drag a node in the middle of the canvas while recording frame timestamps
    const results = [];
    for (let d = 0; d < drags; d++) {
      const node = page.locator(`[data-node-id="n${45 + d}"]`);
      const box = await node.boundingBox();
      if (!box) throw new Error("node not visible");
      // a string, not a function: tsx would wrap named arrows with a helper the page does not have
      await page.evaluate(`(() => {
        window.__frames = [];
        window.__rec = true;
        const loop = (ts) => { if (!window.__rec) return; window.__frames.push(ts); requestAnimationFrame(loop); };
        requestAnimationFrame(loop);
      })()`);
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      for (let i = 1; i <= 60; i++) {
        await page.mouse.move(x + i * 3, y + Math.sin(i / 6) * 40);
        await page.waitForTimeout(16);
      }
      await page.mouse.up();
      const frames = (await page.evaluate(`(() => { window.__rec = false; return window.__frames; })()`)) as number[];
      const deltas = frames.slice(1).map((t, i) => t - frames[i]).slice(2);
      const after = await node.boundingBox();
      // the node must really follow the pointer (180 px to the right)
      const movedPx = after ? Math.round(after.x - box.x) : 0;
      results.push({ ...stats(deltas), movedPx });
    }
    const all = results.map((r) => r.medianFps).sort((a, b) => a - b);
    const summary = {
      date: new Date().toISOString(),
      nodes: n,
      renderedNodes: rendered,
      firstLoadMs: loadMs,
      scripts: scripts.size,
      gzipKB: Math.round(gzipTotal / 102.4) / 10,
      drags: results,
      medianFpsOfDrags: all[Math.floor(all.length / 2)],
    };
    console.log(JSON.stringify(summary, null, 2));
    fs.mkdirSync(path.join(root, "server/bench/ui/out"), { recursive: true });
    fs.writeFileSync(path.join(root, "server/bench/ui/out/canvas.json"), JSON.stringify(summary, null, 2));
    await trpc(base, "flows.delete", { id: created.id });
    await browser.close();
  } finally {
    app?.kill("SIGTERM");
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
