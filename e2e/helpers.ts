/** Shared e2e helpers: screenshots kept as artifacts under e2e/artifacts/ for people to look at. */
import type { Page } from "@playwright/test";
import path from "node:path";

export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join("e2e", "artifacts", `${name}.png`), fullPage: true });
}
