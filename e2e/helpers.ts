/**
 * Shared e2e helpers: screenshots kept as artifacts under e2e/artifacts/ for people to look at, the e2e
 * admin (created by the server from SHUQIAO_ADMIN_EMAIL/PASSWORD, see playwright.config.ts) and signing
 * in through the real sign-in page.
 */
import { expect, type Page } from "@playwright/test";
import path from "node:path";

export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join("e2e", "artifacts", `${name}.png`), fullPage: true });
}

export const ADMIN = { email: "admin@e2e.local", password: "Shuqiao-e2e-2026" } as const;

/** The signed-in admin session every spec starts with (written by e2e/auth.setup.ts; git-ignored). */
export const STORAGE_STATE = path.join("e2e", ".auth", "admin.json");

/** Signs in through /sign-in and waits until the app shell shows the user (lands on `next` or /flows). */
export async function signIn(page: Page, email: string = ADMIN.email, password: string = ADMIN.password, next?: string): Promise<void> {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("current-user")).toContainText(email);
}
