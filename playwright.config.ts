/**
 * Playwright against the built app started exactly as users start it (scripts/start.ts), in Debian's
 * Chromium (Playwright's own browser download is impossible on these machines; see STACK.md).
 *
 * Signed in: the server creates the e2e admin headlessly (SHUQIAO_ADMIN_EMAIL/PASSWORD); the "setup"
 * project signs in once through the sign-in page (e2e/auth.setup.ts) and every spec reuses that session
 * (storageState). e2e/auth.spec.ts starts signed out where it tests signing in.
 */
import { defineConfig } from "@playwright/test";
import { execSync } from "node:child_process";
import path from "node:path";
import { ADMIN, STORAGE_STATE } from "./e2e/helpers";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const SIM_BASE = Number(process.env.E2E_SIM_PORT_BASE ?? 18200);
const DATA_DIR = path.resolve(process.env.E2E_DATA_DIR ?? "data/e2e");
const chromium = process.env.CHROMIUM_PATH ?? (() => {
  try {
    return execSync("command -v chromium || command -v chromium-browser", { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
})();

export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/e2e-results.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 720 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "chromium", dependencies: ["setup"], testIgnore: /auth\.setup\.ts$/, use: { storageState: STORAGE_STATE } },
  ],
  webServer: {
    command: "node --import tsx scripts/start.ts",
    // public, answers without a session
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATA_DIR,
      // the first admin, created headlessly at start (idempotent); specs sign in as this user
      SHUQIAO_ADMIN_EMAIL: ADMIN.email,
      SHUQIAO_ADMIN_PASSWORD: ADMIN.password,
      // E2E_SIM_PORT_BASE lets parallel e2e runs on one machine use separate simulator ports.
      SHUQIAO_SIM_GUANYI_PORT: String(SIM_BASE + 1),
      SHUQIAO_SIM_DINGTALK_PORT: String(SIM_BASE + 2),
      SHUQIAO_SIM_KINGDEE_PORT: String(SIM_BASE + 3),
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
    },
  },
});
