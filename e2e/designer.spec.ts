/**
 * The visual scheme designer end to end, in Debian's Chromium against the built app and the sandbox
 * simulators: draw a scheme from the palette (drag, connect), configure source / mapper (with
 * ConvertObjectParser) / target, see the live preview, undo/redo, save, reload and find it unchanged,
 * run it and watch the events arrive, open the run and find the documents written in 金蝶; templates,
 * version compare and restore, the concurrent-edit conflict, Qeasy and Shuqiao import/export,
 * connections with write-only secrets, and the language switch. Screenshots land in e2e/artifacts/.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { snap } from "./helpers";

const SIM_BASE = Number(process.env.E2E_SIM_PORT_BASE ?? 18200);
const KINGDEE_URL = `http://127.0.0.1:${SIM_BASE + 3}`;

/** React Flow connects on pointer down on one handle and up on another. */
async function connect(page: Page, from: Locator, to: Locator) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error("handle not visible");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Clicks a node; when a wide inspector has pushed it (partly) out of the canvas, fits the view first. */
async function selectNode(page: Page, id: string) {
  const node = page.locator(`[data-node-id="${id}"]`);
  const [n, c] = await Promise.all([node.boundingBox(), page.locator(".react-flow").boundingBox()]);
  if (!n || !c || n.x < c.x || n.y < c.y || n.x + n.width > c.x + c.width || n.y + n.height > c.y + c.height) await page.getByTestId("fit-view").click();
  await node.click();
}

async function newScheme(page: Page, name: string) {
  await page.goto("/flows");
  await page.getByTestId("new-flow").click();
  await page.getByLabel("方案名称", { exact: true }).fill(name);
  await page.getByTestId("create-flow-submit").click();
  await expect(page.getByTestId("designer-title")).toHaveText(name);
}


test("draw a scheme from the palette, map it with a preview, save, reload, run it live and find the documents written", async ({ page }) => {
  test.setTimeout(180_000);
  const name = `画布方案 ${Date.now()}`;
  await newScheme(page, name);
  await expect(page.locator(".react-flow__node")).toHaveCount(1);

  // palette → canvas by drag and drop
  const canvas = page.getByTestId("canvas");
  await page.getByTestId("palette-target").dragTo(canvas, { targetPosition: { x: 120, y: 420 } });
  await page.getByTestId("palette-mapper").dragTo(canvas, { targetPosition: { x: 120, y: 120 } });
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(page.getByTestId("node-mapper")).toBeVisible();
  await expect(page.getByTestId("node-target")).toBeVisible();
  // a fresh draft is not runnable: its nodes carry problem badges
  await expect(page.getByTestId("node-badge").first()).toBeVisible();
  // every problem at once, in words: nodes by their titles and fields by their labels, never ids or paths
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  const problemList = page.getByTestId("problem-list");
  await expect(problemList).toContainText("「映射」还没有任何字段映射");
  await expect(problemList).toContainText("「目标」：请填写「连接」");
  await expect(problemList).not.toContainText("mapper-1", { useInnerText: true }); // ids only inside the closed 详情
  await problemList.getByText("详情").first().click();
  await expect(problemList.locator("details[open]")).toContainText("nodes.");

  // connect source → mapper → target
  await connect(page, page.getByTestId("handle-out-source"), page.getByTestId("handle-in-mapper-1"));
  await connect(page, page.getByTestId("handle-out-mapper-1"), page.getByTestId("handle-in-target-1"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // source: 管易云 shops through the sandbox connection; the vendor's page-size maximum is enforced
  await selectNode(page, "source");
  await page.getByTestId("source-api").selectOption("guanyi.gy.erp.shop.get");
  await page.getByTestId("source-connection").selectOption("沙箱-管易云");
  await page.getByTestId("source-page-size").fill("500");
  await expect(page.getByTestId("source-page-size")).toHaveValue("100");
  await expect(page.getByTestId("source-id-field")).toHaveValue("id");
  await snap(page, "designer-01-source-inspector");

  // target: 金蝶 BD_Customer BatchSave with auto submit/audit
  await selectNode(page, "target-1");
  await page.getByTestId("target-connection").selectOption("沙箱-金蝶");
  await page.getByTestId("target-form").fill("BD_Customer");
  await page.getByTestId("target-flag-IsAutoSubmitAndAudit").check();
  await page.getByTestId("target-flag-IsVerifyBaseDataField").check();
  await expect(page.getByText("已存在则更新")).toBeVisible();

  // mapper: FName ← {{name}}, FNumber ← {{code}}, FCreateOrgId ← 100 via ConvertObjectParser(FNumber)
  await selectNode(page, "mapper-1");
  const rows: [string, string][] = [
    ["FName", "{{name}}"],
    ["FNumber", "{{code}}"],
    ["FCreateOrgId", "100"],
  ];
  for (const [i, [field, value]] of rows.entries()) {
    await page.getByTestId("mapper-add").click();
    await page.getByLabel(`目标字段 ${i + 1}`, { exact: true }).fill(field);
    await page.getByLabel(`取值 ${i + 1}`, { exact: true }).fill(value);
  }
  await page.getByLabel("解析器 3", { exact: true }).selectOption("ConvertObjectParser");
  await expect(page.getByLabel("第 3 行解析器参数 key")).toHaveValue("FNumber");
  // the form catalogue marks required fields: FName / FNumber / FCreateOrgId are there, so no "add required" for them
  await expect(page.getByText("基础资料：用「转为对象」", { exact: false })).toHaveCount(0);

  // live preview: the source's first page mapped beside the source record
  await page.getByTestId("preview-fetch").click();
  const mapped = page.getByTestId("preview-mapped");
  await expect(mapped).toContainText('FCreateOrgId: {"FNumber":"100"}');
  await expect(mapped).toContainText("FName:");
  await expect(page.getByTestId("preview-source")).toContainText("code:");
  // a broken template shows as a per-field error, then is fixed again
  await page.getByLabel("取值 1", { exact: true }).fill("{{name");
  await expect(page.getByTestId("mapper-row-error")).toBeVisible();
  await snap(page, "designer-02-mapper-preview-error");
  await page.getByLabel("取值 1", { exact: true }).fill("{{name}}");
  await expect(page.getByTestId("mapper-row-error")).toHaveCount(0);
  await expect(page.getByTestId("designer-problems")).toHaveCount(0);
  await snap(page, "designer-03-mapper-preview");

  // undo / redo of a delete with the keyboard
  await selectNode(page, "target-1");
  await page.getByTestId("canvas").locator(`[data-node-id="target-1"]`).focus();
  await page.keyboard.press("Delete");
  // deleting a node asks first, naming it; Enter on the focused 删除 button confirms
  await expect(page.getByTestId("confirm-delete-dialog")).toContainText("目标");
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await page.getByTestId("confirm-delete-nodes").click();
  await expect(page.locator(".react-flow__node")).toHaveCount(2);
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("Control+z");
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await page.keyboard.press("Control+Shift+z");
  await expect(page.locator(".react-flow__node")).toHaveCount(2);
  await page.keyboard.press("Control+z");
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await page.getByTestId("auto-layout").click();
  await page.getByTestId("fit-view").click();

  // save with Ctrl+S → v2, no problems left
  await page.keyboard.press("Control+s");
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v2");
  await expect(page.getByTestId("designer-dirty")).toHaveCount(0);
  await expect(page.getByTestId("node-badge")).toHaveCount(0);
  await snap(page, "designer-04-canvas-saved");

  // reload: the same scheme comes back
  await page.reload();
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v2");
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await selectNode(page, "mapper-1");
  await expect(page.getByLabel("目标字段 3", { exact: true })).toHaveValue("FCreateOrgId");
  await expect(page.getByLabel("解析器 3", { exact: true })).toHaveValue("ConvertObjectParser");
  await expect(page.getByLabel("第 3 行解析器参数 key")).toHaveValue("FNumber");
  await selectNode(page, "target-1");
  await expect(page.getByTestId("target-form")).toHaveValue("BD_Customer");
  await expect(page.getByTestId("target-flag-IsAutoSubmitAndAudit")).toBeChecked();

  // run in the sandbox and watch the events arrive
  await expect(page.getByTestId("run-sandbox")).toBeVisible();
  await page.getByTestId("run-flow").click();
  const panel = page.getByTestId("run-panel");
  await expect(panel).toBeVisible();
  await expect(panel.locator('[data-type="page.fetched"]').first()).toBeVisible({ timeout: 30_000 });
  await snap(page, "designer-05-run-live");
  await expect(panel.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(panel.locator('[data-type="run.finished"]')).toBeVisible();
  const written = Number((await panel.getByTestId("run-count-written").textContent())?.replace(/,/g, ""));
  expect(written).toBeGreaterThan(0);
  await expect(panel.getByTestId("progress-fill")).toBeVisible();
  await snap(page, "designer-06-run-finished");

  // the run page shows the documents written; 金蝶 holds them with the wrapped org
  await panel.getByTestId("run-open").click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("count.written")).toHaveText(String(written.toLocaleString("en-US")));
  await snap(page, "designer-07-run-page");
  const docs = (await (await fetch(`${KINGDEE_URL}/__sandbox/documents?formId=BD_Customer&limit=1000`)).json()) as { count: number; documents: Record<string, unknown>[] };
  expect(docs.count).toBeGreaterThanOrEqual(written);
});

/** No two node cards on the canvas overlap. */
async function expectNoOverlap(page: Page) {
  const boxes = (await page.locator(".react-flow__node").evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number })));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height, `nodes ${i} and ${j} overlap`).toBe(false);
    }
}

test("canvas ergonomics: palette search, insert after the selected node, copy/paste across schemes, duplicate, right-click delete with confirmation", async ({ page }) => {
  test.setTimeout(120_000);
  // the canvas renders only nodes in view (onlyRenderVisibleElements): fit the view before counting
  const nodes = page.locator(".react-flow__node");
  const fit = () => page.getByTestId("fit-view").click();
  await newScheme(page, `画布操作 ${Date.now()}`);
  await expect(nodes).toHaveCount(1);

  // the palette search lists vendor APIs, not only the generic kinds
  const search = page.getByTestId("palette-search");
  await search.fill("钉钉审批实例");
  await expect(page.getByTestId("palette-api-dingtalk.processinstance")).toBeVisible();
  await search.fill("管易云店铺查询");
  await expect(page.getByTestId("palette-results").locator("button").first()).toContainText("管易云 店铺查询");
  await search.fill("完全不存在的接口");
  await expect(page.getByTestId("palette-no-results")).toBeVisible();
  // with the source selected, 金蝶客户保存 + Enter adds a target after it, connected and pre-filled
  await selectNode(page, "source");
  await search.fill("金蝶客户保存");
  await expect(page.getByTestId("palette-api-kingdee.BatchSave:BD_Customer")).toBeVisible();
  await snap(page, "designer-18-palette-search");
  await search.press("Enter");
  await expect(nodes).toHaveCount(2);
  await expect(page.getByTestId("rf__edge-e-source-target-1")).toBeAttached();
  await expect(page.getByTestId("inspector-target")).toBeVisible();
  await expect(page.getByTestId("target-form")).toHaveValue("BD_Customer");
  await expect(page.getByTestId("target-connection")).toHaveValue("沙箱-金蝶");
  await expect(page.locator('[data-node-id="target-1"]')).toContainText("金蝶云星空 客户 批量保存");

  // click-to-add after the selected source: the mapper goes in between source and target
  await selectNode(page, "source");
  await page.getByTestId("palette-mapper").click();
  await expect(page.getByTestId("inspector-mapper")).toBeVisible();
  // the palette keeps its labels while the (wide) mapper inspector is open
  const label = await page.getByTestId("palette-mapper").getByText("映射", { exact: true }).boundingBox();
  expect(label?.width ?? 0).toBeGreaterThan(16); // a real label, not a screen-reader-only one
  await fit();
  await expect(nodes).toHaveCount(3);
  await expect(page.getByTestId("rf__edge-e-source-mapper-1")).toBeAttached();
  await expect(page.getByTestId("rf__edge-e-mapper-1-target-1")).toBeAttached();
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await expectNoOverlap(page);

  // shortcuts do nothing while typing in an input
  await search.fill("abc");
  await search.press("Control+d");
  await search.press("Control+v");
  await expect(nodes).toHaveCount(3);
  await search.fill("");

  // Ctrl+C / Ctrl+V: a new node with a new id, on free space; Ctrl+D duplicates
  await selectNode(page, "target-1");
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(page.locator('[data-node-id="target-2"]')).toBeVisible();
  await fit();
  await expect(nodes).toHaveCount(4);
  await expectNoOverlap(page);
  await page.keyboard.press("Control+d");
  await expect(page.locator('[data-node-id="target-3"]')).toBeVisible();
  await fit();
  await expect(nodes).toHaveCount(5);
  await expect(page.locator('[data-node-id="target-3"]')).toBeVisible();
  await expectNoOverlap(page);
  await snap(page, "designer-19-pasted");

  // right-click a node: the menu; delete asks first (cancel keeps it, confirm removes it)
  await page.locator('[data-node-id="target-3"]').click({ button: "right" });
  await expect(page.getByTestId("canvas-menu")).toBeVisible();
  await expect(page.getByTestId("menu-duplicate")).toBeVisible();
  await expect(page.getByTestId("menu-disconnect")).toBeVisible();
  await snap(page, "designer-20-context-menu");
  await page.getByTestId("menu-delete").click();
  await expect(page.getByTestId("confirm-delete-dialog")).toContainText("金蝶云星空 客户 批量保存");
  await page.getByTestId("confirm-delete-cancel").click();
  await expect(nodes).toHaveCount(5);
  await page.locator('[data-node-id="target-3"]').click({ button: "right" });
  await page.getByTestId("menu-delete").click();
  await page.getByTestId("confirm-delete-nodes").click();
  await expect(nodes).toHaveCount(4);
  await expect(page.locator('[data-node-id="target-3"]')).toHaveCount(0);

  // right-click a connection: delete it (no confirmation; undoable)
  // (a straight edge has a zero-height box, so right-click on its midpoint between the two handles)
  const out = await page.getByTestId("handle-out-mapper-1").boundingBox();
  const into = await page.getByTestId("handle-in-target-1").boundingBox();
  if (!out || !into) throw new Error("handles not visible");
  await page.mouse.click((out.x + out.width / 2 + into.x + into.width / 2) / 2, (out.y + out.height / 2 + into.y + into.height / 2) / 2, { button: "right" });
  await expect(page.getByTestId("menu-delete-edge")).toBeVisible();
  await page.getByTestId("menu-delete-edge").click();
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await page.keyboard.press("Control+z");
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // across schemes: copy the configured target here, paste it into a new scheme
  await selectNode(page, "target-1");
  await page.keyboard.press("Control+c");
  await page.getByRole("link", { name: "返回方案列表" }).click();
  await expect(page.getByTestId("new-flow")).toBeVisible();
  await newScheme(page, `画布粘贴 ${Date.now()}`);
  await expect(nodes).toHaveCount(1);
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("Control+v");
  await expect(page.locator('[data-node-id="target-1"]')).toBeVisible();
  await fit();
  await expect(nodes).toHaveCount(2);
  await selectNode(page, "target-1");
  await expect(page.getByTestId("target-form")).toHaveValue("BD_Customer");
  await expectNoOverlap(page);
});

test("templates, version compare and restore, and a concurrent edit that is told instead of overwritten", async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto("/flows");
  await expect(page.getByTestId("template-card")).toHaveCount(2);
  await snap(page, "designer-08-flow-list");
  await page.getByTestId("use-template-guanyi-shops-to-kingdee-customers").click();
  await expect(page.getByTestId("designer-title")).toContainText("管易云店铺 → 金蝶客户");
  await expect(page.locator(".react-flow__node")).toHaveCount(4);
  await expect(page.getByTestId("designer-problems")).toHaveCount(0);
  const url = page.url();

  // edit: batch size 100 → 50, a mapping changed; save → v2
  await selectNode(page, "target");
  await page.getByTestId("target-batch-size").fill("50");
  await selectNode(page, "mapper");
  await page.getByLabel("取值 1", { exact: true }).fill("{{name}}（管易云）");
  await page.getByTestId("save-flow").click();
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v2");

  // compare v1 with v2, then restore v1 as v3
  await page.getByTestId("open-versions").click();
  await page.getByTestId("version-compare-1").click();
  const diff = page.getByTestId("version-diff");
  await expect(diff).toContainText("batchSize");
  await expect(diff).toContainText("100 → 50");
  await expect(diff.getByTestId("diff-mappings")).toContainText("FName");
  await snap(page, "designer-09-version-compare");
  await page.getByTestId("version-restore-1").click();
  await page.getByTestId("version-restore-confirm").click();
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v3");
  await selectNode(page, "target");
  await expect(page.getByTestId("target-batch-size")).toHaveValue("100");
  // any two versions: v2 against the restored v3
  await page.getByTestId("open-versions").click();
  await page.getByTestId("versions-against").selectOption("2");
  await page.getByTestId("version-compare-3").click();
  await expect(page.getByTestId("version-diff")).toContainText("v2 → v3");
  await expect(page.getByTestId("version-diff")).toContainText("50 → 100");
  await page.getByTestId("open-versions").click();

  // a second editor saves first; this editor's save is refused with a way forward
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId("designer-version")).toHaveText("版本 v3");
  await other.locator(`[data-node-id="target"]`).click();
  await other.getByTestId("target-batch-size").fill("20");
  await other.getByTestId("save-flow").click();
  await expect(other.getByTestId("designer-version")).toHaveText("版本 v4");
  await other.close();

  await page.getByTestId("target-batch-size").fill("30");
  await page.getByTestId("save-flow").click();
  await expect(page.getByTestId("conflict-dialog")).toBeVisible();
  await expect(page.getByTestId("conflict-dialog")).toContainText("v3");
  await snap(page, "designer-10-conflict");
  await page.getByTestId("conflict-reload").click();
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v4");
  await selectNode(page, "target");
  await expect(page.getByTestId("target-batch-size")).toHaveValue("20");

  // leaving and coming back inside the app starts from the newest version (no false conflict)
  await page.getByTestId("target-batch-size").fill("40");
  await page.keyboard.press("Control+s");
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v5");
  const title = (await page.getByTestId("designer-title").textContent()) ?? "";
  await page.getByRole("link", { name: "返回方案列表" }).click();
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v5");
  await selectNode(page, "target");
  await page.getByTestId("target-batch-size").fill("60");
  await page.getByTestId("save-flow").click();
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v6");
  await expect(page.getByTestId("conflict-dialog")).toBeHidden();

  // nothing selected: the scheme's settings, read concurrency among them (kept across a reload)
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId("settings-source-concurrency")).toBeVisible();
  await page.getByTestId("settings-source-concurrency").fill("2");
  await snap(page, "designer-17-scheme-settings");
  await page.getByTestId("save-flow").click();
  await expect(page.getByTestId("designer-version")).toHaveText("版本 v7");
  await page.reload();
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId("settings-source-concurrency")).toHaveValue("2");
});

test("import the seed scenario's Qeasy configs, export a scheme and import the file back", async ({ page }) => {
  const dir = path.resolve("server/flows/qeasy-fixtures/guanyi-shop-customer");
  test.skip(!fs.existsSync(dir), "Qeasy importer fixtures not present");
  await page.goto("/flows");
  await page.getByTestId("import-flow").click();
  await page.getByTestId("import-mode-qeasy").click();
  await page.getByLabel("源平台配置（QUERY，源码视图 JSON）").setInputFiles(path.join(dir, "source.json"));
  await page.getByLabel("目标平台配置（EXECUTE，源码视图 JSON）").setInputFiles(path.join(dir, "target.json"));
  const name = `轻易云导入 ${Date.now()}`;
  await page.getByLabel("新方案的名称（可选）").fill(name);
  await snap(page, "designer-11-import-qeasy");
  await page.getByTestId("import-submit").click();
  const report = page.getByTestId("import-report");
  await expect(report.or(page.getByTestId("designer-title"))).toBeVisible();
  if (await report.isVisible()) {
    await snap(page, "designer-12-import-report");
    await page.getByTestId("import-open").click();
  }
  await expect(page.getByTestId("designer-title")).toHaveText(name);
  await expect(page.getByTestId("node-source")).toBeVisible();
  await expect(page.getByTestId("node-mapper")).toBeVisible();
  await expect(page.getByTestId("node-target")).toBeVisible();

  // export this scheme and import the file as a new one
  const download = page.waitForEvent("download");
  await page.getByTestId("export-flow").click();
  const file = await (await download).path();
  const exported = JSON.parse(fs.readFileSync(file, "utf8")) as { format: string; document: { nodes: unknown[] } };
  expect(exported.format).toBe("shuqiao.flow");
  await page.goto("/flows");
  await page.getByTestId("import-flow").click();
  await page.getByLabel("方案文件（.json）").setInputFiles(file);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("designer-title")).toHaveText(`${name} (2)`);
  await expect(page.locator(".react-flow__node")).toHaveCount(exported.document.nodes.length);

  // delete the copy, with confirmation
  await page.goto("/flows");
  const row = page.getByTestId("flow-row").filter({ hasText: `${name} (2)` });
  await row.getByRole("button", { name: `删除 ${name} (2)` }).click();
  await page.getByTestId("confirm-delete").click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId("flow-row").filter({ hasText: name })).toHaveCount(1);
});

/** Sets the outbound allowlist on the settings page (as an admin does) and waits for the confirmation. */
async function setAllowedHosts(page: Page, edit: (hosts: string[]) => string[]): Promise<void> {
  await page.goto("/settings");
  const hosts = page.getByTestId("outbound-hosts");
  await expect(hosts).toBeVisible();
  const current = (await hosts.inputValue()).split(/\s+/).filter(Boolean);
  await hosts.fill(edit(current).join("\n"));
  await page.getByTestId("outbound-save").click();
  await expect(page.getByRole("status").filter({ hasText: "出站设置已保存" })).toBeVisible();
}

test("connections: create, test against the vendor, secrets never shown, edit keeps them", async ({ page }) => {
  // start from the default policy (a retry may find 127.0.0.1 allowed by the previous attempt)
  await setAllowedHosts(page, (h) => h.filter((x) => x !== "127.0.0.1"));
  await page.goto("/connections");
  await expect(page.getByTestId("connection-row").filter({ hasText: "沙箱-金蝶" })).toBeVisible();
  const state = (await (await fetch(`${KINGDEE_URL}/__sandbox/state`)).json()) as { credentials: Record<string, string> };
  const c = state.credentials;
  const name = `金蝶测试 ${Date.now()}`;
  await page.getByTestId("new-connection").click();
  await page.getByLabel("名称").fill(name);
  await page.getByLabel("系统").selectOption("kingdee");
  await page.getByLabel("地址").fill(`${KINGDEE_URL}/k3cloud/`);
  await page.getByLabel("登录方式").selectOption("ValidateUser");
  await page.getByLabel("数据中心 ID（AcctId）").fill(c.acctId);
  await page.getByLabel("用户名").fill(c.username);
  await page.getByLabel("密码").fill(c.password);
  await snap(page, "designer-13-connection-form");
  await page.getByTestId("connection-submit").click();
  const row = page.getByTestId("connection-row").filter({ hasText: name });
  await expect(row).toBeVisible();
  // the simulator listens on 127.0.0.1: the outbound policy refuses loopback until an admin allows it
  await row.getByTestId("test-connection").click();
  await expect(row.getByTestId("test-result")).toHaveAttribute("data-ok", "false", { timeout: 20_000 });
  await expect(row.getByTestId("test-result")).toContainText("127.0.0.1");
  await expect(row.getByTestId("test-result")).toContainText("出站访问");
  await setAllowedHosts(page, (h) => [...h, "127.0.0.1"]);
  await page.goto("/connections");
  await row.getByTestId("test-connection").click();
  await expect(row.getByTestId("test-result")).toHaveAttribute("data-ok", "true", { timeout: 20_000 });
  expect(await page.content()).not.toContain(c.password);

  // edit: the password field is empty (write-only); a wrong one makes the test report 金蝶's message
  await row.getByTestId("edit-connection").click();
  await expect(page.getByLabel("密码")).toHaveValue("");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByTestId("connection-submit").click();
  await row.getByTestId("test-connection").click();
  await expect(row.getByTestId("test-result")).toHaveAttribute("data-ok", "false", { timeout: 20_000 });
  await expect(row.getByTestId("test-result")).toContainText("金蝶");
  await snap(page, "designer-14-connections");
});

test("the designer switches to English and back", async ({ page }) => {
  await page.goto("/flows");
  await page.getByTestId("use-template-dingtalk-pettycash-to-kingdee").click();
  await expect(page.locator(".react-flow__node")).toHaveCount(6);
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("navigation", { name: "Nodes" })).toBeVisible();
  await expect(page.getByTestId("palette-mapper")).toContainText("Mapper");
  await selectNode(page, "mapper");
  await expect(page.getByRole("heading", { name: "Field mapping" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Live preview" })).toBeVisible();
  await page.getByTestId("preview-fetch").click();
  await expect(page.getByTestId("preview-mapped")).toContainText("FBillNo");
  await snap(page, "designer-15-english-mapper");
  // keyboard: from the palette, Tab reaches the canvas nodes, with a visible focus ring
  await page.locator(".react-flow__pane").click({ position: { x: 10, y: 10 } });
  await page.getByTestId("palette-target").focus();
  for (let i = 0; i < 8 && (await page.locator(".react-flow__node:focus").count()) === 0; i++) await page.keyboard.press("Tab");
  await expect(page.locator(".react-flow__node:focus")).toHaveCount(1);
  await snap(page, "designer-16-keyboard-focus");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("navigation", { name: "节点" })).toBeVisible();
});

test("the designer leads to the scheme's data and schedule page", async ({ page }) => {
  await page.goto("/flows");
  await page.getByRole("link", { name: "管易云店铺 → 金蝶客户" }).first().click();
  await expect(page.getByTestId("designer-title")).toBeVisible();
  await page.getByTestId("open-records").click();
  await expect(page).toHaveURL(/\/flows\/[^/]+\/records$/);
  await expect(page.getByTestId("flow-data-title")).toContainText("管易云店铺 → 金蝶客户");
});
