/**
 * The foundation works end to end in a real browser: the app opens in Chinese, a scheme is created,
 * its canvas shows the source node, and after a reload the scheme is still there.
 */
import { expect, test } from "@playwright/test";
import { snap } from "./helpers";

test("create a scheme, see its canvas, find it again after reload", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByRole("heading", { level: 1, name: "集成方案" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "运行记录" })).toBeVisible();
  await snap(page, "01-flows-list");

  const name = `管易云店铺 → 金蝶客户 ${Date.now()}`;
  await page.getByTestId("new-flow").click();
  await page.getByLabel("方案名称").fill(name);
  await snap(page, "02-create-dialog");
  await page.getByTestId("create-flow-submit").click();

  await expect(page).toHaveURL(/\/flows\/[^/]+$/);
  await expect(page.getByTestId("designer-title")).toHaveText(name);
  await expect(page.getByTestId("node-source")).toBeVisible();
  await expect(page.locator(".react-flow__node")).toHaveCount(1);
  await snap(page, "03-designer");

  await page.reload();
  await expect(page.getByTestId("designer-title")).toHaveText(name);
  await expect(page.getByTestId("node-source")).toBeVisible();

  await page.getByRole("link", { name: "方案" }).first().click();
  await expect(page.getByRole("link", { name })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name })).toBeVisible();
});

test("the language switch turns the interface to English and back", async ({ page }) => {
  await page.goto("/flows");
  await expect(page.getByRole("heading", { level: 1, name: "集成方案" })).toBeVisible();
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1, name: "Integration schemes" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Runs" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Integration schemes" })).toBeVisible();
  await snap(page, "04-flows-english");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1, name: "集成方案" })).toBeVisible();
});

test("every section of the navigation opens a designed page", async ({ page }) => {
  for (const [link, heading] of [
    ["运行记录", "运行记录"],
    ["连接", "连接"],
    ["监控", "监控"],
    ["设置", "设置"],
    // admin-only sections (the e2e session is the admin's)
    ["用户", "用户"],
    ["审计日志", "审计日志"],
  ] as const) {
    await page.goto("/flows");
    await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
  await snap(page, "05-settings");
});

test("the monitor lists every scheme's health, including the seeded demo schemes", async ({ page }) => {
  await page.goto("/monitor");
  await expect(page.getByRole("heading", { level: 1, name: "监控" })).toBeVisible();
  await expect(page.getByTestId("monitor-flow-row").filter({ hasText: "管易云店铺 → 金蝶客户" }).first()).toBeVisible();
  await expect(page.getByTestId("monitor-flow-row").filter({ hasText: "钉钉备用金" }).first()).toBeVisible();
  await page.getByRole("button", { name: "近 7 天" }).click();
  await expect(page.getByRole("button", { name: "近 7 天" })).toHaveAttribute("aria-pressed", "true");
  await snap(page, "06-monitor");
});
