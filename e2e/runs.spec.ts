/**
 * Run history, live logs, record lineage, reruns and schedules in a real browser against the built app
 * and the simulators (started by the webServer): a run with injected Kingdee row failures is watched
 * live (events arrive, the progress bar moves, a reload mid-run leaves a gap-free log), its failed rows
 * show the vendor's message, "retry failed" after removing the fault writes them with Kingdee holding
 * each document exactly once, the ledger finds a business number and opens its lineage, a run is
 * cancelled, and a schedule set in the browser produces a scheduled run.
 *
 * Each run of this spec creates its own scheme from examples/ (fresh ledger) and resets the Kingdee
 * simulator, so reruns of the spec do not depend on what an earlier one left.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { snap } from "./helpers";

const SIM_BASE = Number(process.env.E2E_SIM_PORT_BASE ?? 18200);
const GUANYI = `http://127.0.0.1:${SIM_BASE + 1}`;
const KINGDEE = `http://127.0.0.1:${SIM_BASE + 3}`;
const SHOPS = 1000;

test.describe.configure({ mode: "serial" });

async function trpcMutation<T>(request: APIRequestContext, pathName: string, input: unknown): Promise<T> {
  // a mutation must come from our own origin (issue #16); the browser sends this header itself
  const origin = String(test.info().project.use.baseURL);
  const res = await request.post(`/api/trpc/${pathName}`, { data: { json: input }, headers: { origin } });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${pathName} failed: ${JSON.stringify(body.error ?? body)}`);
  return body.result.data.json;
}

async function trpcQuery<T>(request: APIRequestContext, pathName: string, input: unknown): Promise<T> {
  const res = await request.get(`/api/trpc/${pathName}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${pathName} failed: ${JSON.stringify(body.error ?? body)}`);
  return body.result.data.json;
}

async function sim(url: string, route: "config" | "reset", patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/__sandbox/${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) });
  expect(res.ok, `${url} ${route}`).toBe(true);
}

async function kingdeeCustomers(): Promise<{ count: number; duplicates: number; createdMoreThanOnce: number }> {
  const res = await fetch(`${KINGDEE}/__sandbox/documents?formId=BD_Customer&limit=0`);
  return (await res.json()) as { count: number; duplicates: number; createdMoreThanOnce: number };
}

async function logCounters(page: Page) {
  const el = page.getByTestId("log-count");
  return {
    total: Number(await el.getAttribute("data-total")),
    lastSeq: Number(await el.getAttribute("data-last-seq")),
    gaps: Number(await el.getAttribute("data-gaps")),
  };
}

let flowId = "";
let firstRunId = "";

test.beforeAll(async ({ request }) => {
  const example = JSON.parse(fs.readFileSync(path.join("examples", "guanyi-shops-to-kingdee-customers.json"), "utf8")) as Record<string, unknown>;
  const created = await trpcMutation<{ id: string }>(request, "flows.create", { name: `店铺同步 e2e ${Date.now()}`, document: example });
  flowId = created.id;
  await sim(KINGDEE, "reset", { rowFailureRate: 0, seed: 7 });
  await sim(GUANYI, "config", { shops: SHOPS, latencyMs: 0 });
});

test("a run with injected Kingdee failures is watched live; a reload mid-run leaves a gap-free log; failed rows show the vendor message", async ({ page, request }) => {
  test.setTimeout(120_000);
  await sim(KINGDEE, "config", { rowFailureRate: 0.05, seed: 11 });
  await sim(GUANYI, "config", { latencyMs: 900 });

  await page.goto(`/flows/${flowId}/records`);
  await expect(page.getByTestId("flow-data-title")).toContainText("店铺同步 e2e");
  await expect(page.getByText("台账里还没有记录")).toBeVisible();
  await snap(page, "runs-01-flow-data-empty");
  await page.getByTestId("flow-run-now").click();
  await page.getByTestId("flow-run-now-confirm").click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  firstRunId = page.url().split("/").pop() as string;

  // events arrive live and the progress bar moves
  const progress = page.getByTestId("run-progress");
  await expect(page.getByTestId("log-status")).toHaveAttribute("data-status", "live", { timeout: 15_000 });
  await expect.poll(async () => Number(await progress.getAttribute("data-read")), { timeout: 20_000 }).toBeGreaterThan(0);
  const read1 = Number(await progress.getAttribute("data-read"));
  const events1 = (await logCounters(page)).total;
  await expect.poll(async () => Number(await progress.getAttribute("data-read")), { timeout: 20_000 }).toBeGreaterThan(read1);
  await expect.poll(async () => (await logCounters(page)).total, { timeout: 20_000 }).toBeGreaterThan(events1);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("log-row").first()).toBeVisible();
  await snap(page, "runs-02-run-live");

  // reload mid-run: the stream resumes and the log has every event once, in order
  const before = await logCounters(page);
  expect(before.lastSeq).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByTestId("log-status")).toHaveAttribute("data-status", /live|ended/, { timeout: 15_000 });
  await expect.poll(async () => (await logCounters(page)).lastSeq, { timeout: 15_000 }).toBeGreaterThan(before.lastSeq);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "partial", { timeout: 60_000 });
  await expect(page.getByTestId("log-status")).toHaveAttribute("data-status", "ended");
  const after = await logCounters(page);
  expect(after.gaps).toBe(0);
  expect(after.total).toBe(after.lastSeq);
  const run = await trpcQuery<{ lastSeq: number; countFailed: number; countWritten: number; countRead: number }>(request, "runs.byId", { id: firstRunId });
  expect(after.lastSeq).toBe(run.lastSeq);
  expect(run.countRead).toBe(SHOPS);
  expect(run.countFailed).toBeGreaterThan(0);
  expect(run.countWritten + run.countFailed).toBe(SHOPS);
  await expect(page.getByTestId("progress-fill")).toHaveAttribute("style", /width: 100%/);
  // the whole log as JSON lines, one per event, in order
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("log-download").click()]);
  const lines = fs.readFileSync(await download.path(), "utf8").trim().split("\n");
  expect(lines.length).toBe(after.total);
  expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(Array.from({ length: after.total }, (_, i) => i + 1));
  // the log's own filters: only errors
  await page.getByRole("button", { name: "信息" }).click();
  await page.getByRole("button", { name: "警告" }).click();
  await expect(page.getByTestId("log-row").first()).toHaveAttribute("data-type", "record.failed");
  await page.getByRole("button", { name: "信息" }).click();
  await page.getByRole("button", { name: "警告" }).click();
  await snap(page, "runs-03-run-finished");

  // failed rows with the vendor's message
  await page.getByTestId("tab-problems").click();
  const rows = page.getByTestId("problem-row");
  await expect(rows.first()).toBeVisible();
  await expect(rows).toHaveCount(run.countFailed);
  await expect(rows.first().getByTestId("problem-reason")).toContainText("模拟的数据校验失败");
  await snap(page, "runs-04-run-failed-rows");
  await page.getByTestId("tab-timeline").click();
  await expect(page.getByTestId("run-timeline")).toBeVisible();
  await snap(page, "runs-05-run-timeline");
});

test("retry failed after removing the fault writes them; Kingdee holds each document exactly once", async ({ page, request }) => {
  test.setTimeout(90_000);
  await sim(KINGDEE, "config", { rowFailureRate: 0 });
  await sim(GUANYI, "config", { latencyMs: 0 });
  const parent = await trpcQuery<{ countFailed: number }>(request, "runs.byId", { id: firstRunId });
  await page.goto(`/runs/${firstRunId}`);
  await page.getByTestId("action-retry-failed").click();
  await expect(page.getByRole("dialog")).toContainText(String(parent.countFailed));
  await snap(page, "runs-06-retry-confirm");
  await page.getByTestId("retry-failed-confirm").click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${firstRunId}$`));
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await expect(page.getByTestId("run-trigger")).toHaveAttribute("data-trigger", "rerun");
  await expect(page.getByTestId("count.written")).toHaveText(String(parent.countFailed));
  await expect(page.getByTestId("run-parent")).toBeVisible();
  await snap(page, "runs-07-retry-run");

  const docs = await kingdeeCustomers();
  expect(docs.count).toBe(SHOPS);
  expect(docs.duplicates).toBe(0);
  expect(docs.createdMoreThanOnce).toBe(0);

  // the parent run's failed rows now say "written" by the retry
  await page.getByTestId("run-parent").click();
  await page.getByTestId("tab-problems").click();
  await expect(page.getByTestId("problem-row").first()).toHaveAttribute("data-current", "written");
  await expect(page.locator('[data-testid="problem-row"]:not([data-current="written"])')).toHaveCount(0);
  await expect(page.getByTestId("run-children")).toBeVisible();
  // nothing is left to retry
  await expect(page.getByTestId("action-retry-failed")).toBeDisabled();
});

test("the runs list filters by scheme, status and trigger and opens a run", async ({ page }) => {
  await page.goto(`/runs?flowId=${flowId}`);
  await expect(page.getByRole("heading", { level: 1, name: "运行记录" })).toBeVisible();
  await expect(page.getByTestId("run-row")).toHaveCount(2);
  await page.getByTestId("filter-trigger").selectOption("rerun");
  await expect(page.getByTestId("run-row")).toHaveCount(1);
  await expect(page.getByTestId("run-row").first()).toHaveAttribute("data-trigger", "rerun");
  await page.getByTestId("filter-trigger").selectOption("");
  await page.getByTestId("filter-status").selectOption("partial");
  await expect(page.getByTestId("run-row")).toHaveCount(1);
  await expect(page.getByTestId("run-row").first()).toHaveAttribute("data-run-id", firstRunId);
  await page.getByTestId("filter-status").selectOption("cancelled");
  await expect(page.getByText("没有符合条件的运行")).toBeVisible();
  await page.getByTestId("filter-status").selectOption("");
  await snap(page, "runs-08-list-filtered");
  await page.getByTestId("filter-clear").click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByTestId("run-row").first()).toBeVisible();
  await snap(page, "runs-09-list");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await snap(page, "runs-10-list-english");
  await page.goto(`/runs/${firstRunId}`);
  await expect(page.getByTestId("tab-problems")).toHaveText(/Failed & invalid/);
  await snap(page, "runs-10b-run-english");
  await page.goto("/runs");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1, name: "运行记录" })).toBeVisible();
});

test("search the ledger for a business number and open its lineage", async ({ page }) => {
  await page.goto(`/flows/${flowId}/records`);
  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await page.getByTestId("records-search").fill("G000042");
  await expect(page.getByTestId("record-row")).toHaveCount(1);
  await expect(page.getByTestId("record-row")).toHaveAttribute("data-number", "G000042");
  await snap(page, "runs-11-ledger-search");
  await page.getByTestId("record-link").click();
  await expect(page.getByTestId("lineage-title")).toHaveText("G000042");
  await expect(page.getByTestId("lineage-source")).toContainText('"code": "G000042"');
  await expect(page.getByTestId("lineage-mapped")).toContainText('"FNumber": "G000042"');
  await expect(page.getByTestId("lineage-response")).toBeVisible();
  await expect(page.getByTestId("lineage-step").first()).toBeVisible();
  await snap(page, "runs-12-lineage");

  // a record that failed and was retried shows both steps
  await page.goto(`/flows/${flowId}/records?status=written`);
  await page.goto(`/runs/${firstRunId}`);
  await page.getByTestId("tab-problems").click();
  const failedId = await page.getByTestId("problem-row").first().getAttribute("data-source-id");
  await page.goto(`/flows/${flowId}/records/${failedId}`);
  await expect(page.getByTestId("lineage-step")).toHaveCount(2);
  await expect(page.getByTestId("lineage-step").nth(0)).toHaveAttribute("data-status", "written");
  await expect(page.getByTestId("lineage-step").nth(1)).toHaveAttribute("data-status", "failed");
  await expect(page.getByTestId("lineage-history")).toContainText("模拟的数据校验失败");
  await snap(page, "runs-13-lineage-retried");

  // re-push this one record: a linked run of mode "records" writes it again, as an update
  await page.getByTestId("action-repush").click();
  await page.getByTestId("repush-confirm").click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(page.getByText("重推选中记录")).toBeVisible();
  await expect(page.getByTestId("count.read")).toHaveText("1");
  await expect(page.getByTestId("count.written")).toHaveText("1");
  const docs = await kingdeeCustomers();
  expect(docs.count).toBe(SHOPS);
  expect(docs.duplicates).toBe(0);
  await page.goto(`/flows/${flowId}/records/${failedId}`);
  await expect(page.getByTestId("lineage-step")).toHaveCount(3);
});

test("rerun asks which version explicitly, and a running run can be cancelled", async ({ page }) => {
  test.setTimeout(90_000);
  await sim(GUANYI, "config", { latencyMs: 2500 });
  await page.goto(`/runs/${firstRunId}`);
  await page.getByTestId("action-rerun").click();
  await expect(page.getByTestId("rerun-confirm")).toBeDisabled();
  await page.getByTestId("rerun-this-version").check();
  await snap(page, "runs-14-rerun-dialog");
  await page.getByTestId("rerun-confirm").click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${firstRunId}$`));
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 20_000 });
  await expect.poll(async () => Number(await page.getByTestId("run-progress").getAttribute("data-read")), { timeout: 20_000 }).toBeGreaterThan(0);
  await page.getByTestId("action-cancel").click();
  await page.getByTestId("cancel-confirm").click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "cancelled", { timeout: 30_000 });
  await expect(page.getByTestId("count.read")).not.toHaveText(String(SHOPS));
  await snap(page, "runs-15-cancelled");
  await sim(GUANYI, "config", { latencyMs: 0 });
});

test("set a schedule in the browser, see the preview, and see a scheduled run happen", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`/flows/${flowId}/records`);
  await expect(page.getByTestId("schedule-panel")).toContainText("未设置");
  await page.getByTestId("schedule-edit").click();
  await page.getByTestId("schedule-cron-input").fill("0 0 2 * * *");
  await expect(page.getByTestId("schedule-preview-description")).toContainText("02:00");
  await expect(page.getByTestId("schedule-preview-time")).toHaveCount(5);
  await page.getByTestId("schedule-cron-input").fill("0 61 * * * *");
  await expect(page.getByTestId("schedule-preview-error")).toBeVisible();
  await expect(page.getByTestId("schedule-save")).toBeDisabled();
  await page.getByTestId("schedule-cron-input").fill("*/5 * * * * *");
  await expect(page.getByTestId("schedule-preview-description")).toHaveText("每隔 5 秒");
  await expect(page.getByTestId("schedule-preview-time")).toHaveCount(5);
  await snap(page, "runs-16-schedule-editor");
  await page.getByTestId("schedule-save").click();
  await expect(page.getByTestId("schedule-cron")).toHaveText("*/5 * * * * *");
  await expect(page.getByTestId("schedule-next")).toBeVisible();

  // the scheduler ticks every 15 s: a scheduled run appears within ~20 s
  await expect(page.getByTestId("schedule-last-run")).toBeVisible({ timeout: 45_000 });
  await page.getByTestId("schedule-pause").click();
  await expect(page.getByTestId("schedule-resume")).toBeVisible();
  await snap(page, "runs-17-schedule-paused");
  await page.goto(`/runs?flowId=${flowId}&trigger=schedule`);
  await expect(page.getByTestId("run-row").first()).toHaveAttribute("data-trigger", "schedule");
  await expect(page.getByTestId("run-row").first().getByTestId("run-trigger")).toContainText("定时");
  await snap(page, "runs-18-list-scheduled");
  await page.goto(`/flows/${flowId}/records`);
  await page.getByTestId("schedule-remove").click();
  await page.getByTestId("schedule-remove-confirm").click();
  await expect(page.getByTestId("schedule-panel")).toContainText("未设置");
});
