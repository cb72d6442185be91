/**
 * First start of a fresh install, as an IT admin meets it: `npm start` with no users prints a one-time
 * setup link; opening it creates the first admin, who is signed in at once; the same link then tells the
 * next visitor it is used up. A second server on a fresh DATA_DIR (the shared e2e server already has its
 * admin), started exactly as users start it, on its own port and without the sandbox.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { snap } from "./helpers";

const PORT = Number(process.env.E2E_FIRST_RUN_PORT ?? 3190);
const DATA_DIR = path.resolve("data", "e2e-first-run");

let server: ChildProcess | undefined;
let setupUrl = "";

test.use({ storageState: { cookies: [], origins: [] }, baseURL: `http://127.0.0.1:${PORT}` });
// the second server's start (migrations, seeding) runs inside beforeAll
test.describe.configure({ timeout: 150_000 });

test.beforeAll(async () => {
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", DATA_DIR, SHUQIAO_SANDBOX: "0", NEXT_TELEMETRY_DISABLED: "1" };
  delete env.SHUQIAO_ADMIN_EMAIL;
  delete env.SHUQIAO_ADMIN_PASSWORD;
  delete env.DATABASE_URL;
  server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  setupUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no setup link within 120 s:\n${out}`)), 120_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/.exec(out);
      if (m && /已启动/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    server!.stdout!.on("data", onData);
    server!.stderr!.on("data", onData);
    server!.on("exit", (code) => reject(new Error(`server exited (${code}) before printing the setup link:\n${out}`)));
  });
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

test("first start: the printed setup link creates the first admin once, and signs them in", async ({ page }) => {
  // before setup, the app sends everyone to sign in
  await page.goto("/flows");
  await expect(page).toHaveURL(/\/sign-in/);

  const link = new URL(setupUrl);
  expect(link.port).toBe(String(PORT));
  await page.goto(link.pathname + link.search);
  await expect(page.getByTestId("setup-form")).toBeVisible();
  await snap(page, "auth-first-run-setup");
  await page.locator("#name").fill("系统管理员");
  await page.locator("#email").fill("owner@example.com");
  await page.locator("#password").fill("Owner-password-2026");
  await page.locator("#password2").fill("Owner-password-2026");
  await page.getByTestId("setup-submit").click();
  await expect(page.getByTestId("current-user")).toContainText("owner@example.com");

  // the link is spent: a second visitor is told so and sent to sign in
  await page.context().clearCookies();
  await page.goto(link.pathname + link.search);
  await expect(page.getByTestId("setup-go-sign-in")).toBeVisible();
  // and the endpoint itself refuses the spent token
  const again = await page.request.post("/api/auth/setup", {
    data: { token: link.searchParams.get("token"), email: "intruder@example.com", name: "x", password: "Intruder-password-1" },
    headers: { origin: `http://127.0.0.1:${PORT}` },
  });
  expect(again.status()).toBe(410);
  const res = await page.request.post("/api/auth/sign-in", { data: { email: "intruder@example.com", password: "Intruder-password-1" } });
  expect(res.status()).toBe(401);
});
