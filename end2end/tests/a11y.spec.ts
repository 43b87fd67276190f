import { test, expect } from "@playwright/test";
import { ADMIN, expectNoSeriousA11yViolations, hydrated, login } from "./helpers";

// Every route at laptop and phone width, with axe, is checked in layout.spec.ts; here what only
// one page shows.

test("the admin page in English has no serious accessibility violations", async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/sprache/en?zurueck=/admin");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administration: accounts and roles");
  await expectNoSeriousA11yViolations(page);
});

test("the skip link moves focus to the main content", async ({ page }) => {
  await page.goto("/karte");
  await hydrated(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Zum Inhalt springen" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
