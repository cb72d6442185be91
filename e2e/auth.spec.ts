/**
 * Sign-in, roles and the audit log in a real browser (issue #16):
 * - the sign-in page in Chinese and English, a wrong password, signing in back to where you were, signing out;
 * - the setup link cannot be used once a user exists (410) — the real first-run setup is proved by the
 *   route test, since this shared server already has its admin;
 * - an admin adds a viewer on the Users page; the viewer sees no edit/run/admin controls, and a mutation
 *   forced through fetch is refused with 403;
 * - the admin finds the viewer's creation in the audit log.
 * Every session here is its own: signing out never ends the shared admin session the other specs use.
 */
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn, snap } from "./helpers";

const SIGNED_OUT = { cookies: [], origins: [] };

/** POSTs a tRPC mutation from inside the page, as a script on our own origin would. */
async function forceMutation(page: Page, name: string, input: unknown): Promise<number> {
  return page.evaluate(
    async ([n, i]) => {
      const res = await fetch(`/api/trpc/${n}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: i }) });
      return res.status;
    },
    [name, input] as const,
  );
}

test.describe("signed out", () => {
  test.use({ storageState: SIGNED_OUT });

  test("an app page sends you to sign-in; the page speaks Chinese and English", async ({ page }) => {
    await page.goto("/runs?status=failed");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fruns%3Fstatus%3Dfailed$/);
    await expect(page.getByRole("heading", { name: "登录数桥" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "main" })).toHaveCount(0);
    await snap(page, "auth-01-sign-in-zh");
    await page.getByTestId("lang-switch").click();
    await expect(page.getByRole("heading", { name: "Sign in to Shuqiao" })).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();
    await snap(page, "auth-02-sign-in-en");
    await page.getByTestId("lang-switch").click();
    await expect(page.getByRole("heading", { name: "登录数桥" })).toBeVisible();
  });

  test("a wrong password is refused with a plain message; the right one signs in, back to where you were; sign-out ends the session", async ({ page }) => {
    await page.goto("/sign-in?next=%2Fmonitor");
    await page.locator("#email").fill(ADMIN.email);
    await page.locator("#password").fill("not-the-password");
    await page.getByTestId("sign-in-submit").click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("邮箱或密码不正确");
    await snap(page, "auth-03-wrong-password");

    await page.locator("#password").fill(ADMIN.password);
    await page.getByTestId("sign-in-submit").click();
    await expect(page).toHaveURL(/\/monitor$/);
    await expect(page.getByTestId("current-user")).toContainText(ADMIN.email);
    await expect(page.getByTestId("role-badge")).toHaveText("管理员");
    await snap(page, "auth-04-signed-in-user-menu");

    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/sign-in$/);
    // the cookie is gone and the session revoked: the app sends us back, and the API says 401
    await page.goto("/flows");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fflows$/);
    const status = await page.evaluate(async () => (await fetch("/api/trpc/flows.list")).status);
    expect(status).toBe(401);
  });

  test("a setup link cannot be used once the workspace has users (410)", async ({ page }) => {
    await page.goto("/setup?token=not-a-real-token");
    await expect(page.getByTestId("setup-gone")).toBeVisible();
    await expect(page.getByTestId("setup-go-sign-in")).toBeVisible();
    await snap(page, "auth-05-setup-link-gone");
    const status = await page.evaluate(async () => {
      const res = await fetch("/api/auth/setup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: "not-a-real-token", email: "intruder@e2e.local", name: "Intruder", password: "Intruder-password-1" }),
      });
      return res.status;
    });
    expect(status).toBe(410);
  });
});

test.describe("roles", () => {
  test.describe.configure({ mode: "serial" });
  const viewer = { email: `viewer-${Date.now()}@e2e.local`, name: "只读用户", password: "Viewer-e2e-2026" };
  let flowId = "";

  test("an admin adds a viewer on the Users page", async ({ page }) => {
    // a scheme for the viewer to look at
    await page.goto("/flows");
    const created = await page.evaluate(async (name) => {
      const res = await fetch("/api/trpc/flows.create", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { name } }) });
      return (await res.json()) as { result?: { data: { json: { id: string } } } };
    }, `只读查看 ${Date.now()}`);
    flowId = created.result?.data.json.id ?? "";
    expect(flowId, JSON.stringify(created)).not.toBe("");

    await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "用户" }).click();
    await expect(page).toHaveURL(/\/users$/);
    await page.getByTestId("add-user").click();
    await page.locator("#new-user-name").fill(viewer.name);
    await page.locator("#new-user-email").fill(viewer.email);
    await page.locator("#new-user-role").selectOption("viewer");
    await page.locator("#new-user-password").fill(viewer.password);
    await snap(page, "auth-06-add-viewer");
    await page.getByTestId("add-user-submit").click();
    await expect(page.getByTestId("users-notice")).toContainText(viewer.email);
    const row = page.locator(`[data-testid="user-row"][data-email="${viewer.email}"]`);
    await expect(row.getByTestId("user-role")).toHaveValue("viewer");
    await snap(page, "auth-07-users");
  });

  test("the viewer sees no edit, run or admin controls, and a forced mutation is refused (403)", async ({ browser }) => {
    const context = await browser.newContext({ storageState: SIGNED_OUT });
    const page = await context.newPage();
    try {
      await signIn(page, viewer.email, viewer.password);
      await expect(page.getByTestId("role-badge")).toHaveText("只读");
      const nav = page.getByRole("navigation", { name: "main" });
      await expect(nav.getByRole("link", { name: "方案" })).toBeVisible();
      await expect(nav.getByRole("link", { name: "用户" })).toHaveCount(0);
      await expect(nav.getByRole("link", { name: "审计日志" })).toHaveCount(0);

      await expect(page.getByRole("heading", { level: 1, name: "集成方案" })).toBeVisible();
      await expect(page.getByTestId("flow-row").first()).toBeVisible();
      await expect(page.getByTestId("new-flow")).toHaveCount(0);
      await expect(page.getByTestId("import-flow")).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^删除 / })).toHaveCount(0);
      await snap(page, "auth-08-viewer-flows");

      await page.goto(`/flows/${flowId}`);
      await expect(page.getByTestId("designer")).toBeVisible();
      await expect(page.getByTestId("designer-read-only")).toBeVisible();
      await expect(page.getByTestId("save-flow")).toHaveCount(0);
      await expect(page.getByTestId("run-flow")).toHaveCount(0);
      await expect(page.getByTestId("undo")).toHaveCount(0);
      await expect(page.getByTestId("export-flow")).toHaveCount(0);
      await expect(page.getByRole("navigation", { name: "节点", exact: true })).toHaveCount(0); // no palette
      await snap(page, "auth-09-viewer-designer");

      await page.goto("/connections");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByTestId("new-connection")).toHaveCount(0);
      await expect(page.getByTestId("test-connection")).toHaveCount(0);
      await expect(page.getByTestId("edit-connection")).toHaveCount(0);

      await page.goto("/users");
      await expect(page.getByTestId("forbidden")).toBeVisible();

      // the server is the guard: a mutation forced past the hidden controls is refused
      expect(await forceMutation(page, "flows.create", { name: "viewer was here" })).toBe(403);
      expect(await forceMutation(page, "flows.delete", { id: flowId })).toBe(403);
      expect(await forceMutation(page, "runEvents.start", { flowId })).toBe(403);
      expect(await forceMutation(page, "users.add", { email: "x@e2e.local", name: "x", role: "admin", password: "Escalate-2026-x" })).toBe(403);
    } finally {
      await context.close();
    }
  });

  test("the admin reads the viewer's creation in the audit log", async ({ page }) => {
    await page.goto("/flows");
    await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "审计日志" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByTestId("audit-table")).toBeVisible();
    await page.getByTestId("audit-filter-actor").fill(ADMIN.email);
    await page.getByTestId("audit-apply").click();
    const created = page.getByTestId("audit-row").filter({ hasText: viewer.email });
    await expect(created.first()).toBeVisible();
    await expect(created.first()).toHaveAttribute("data-action", /^users\./);
    await snap(page, "auth-10-audit-log");
  });
});
