/**
 * Runs once before every other spec (playwright.config.ts, project "setup"): signs the e2e admin in
 * through the sign-in page and keeps the session for all specs.
 */
import { test as setup } from "@playwright/test";
import { STORAGE_STATE, signIn } from "./helpers";

setup("sign in as the e2e admin", async ({ page }) => {
  await signIn(page);
  await page.context().storageState({ path: STORAGE_STATE });
});
