import { test, expect } from "@playwright/test";
import { ADMIN, expectNoSeriousA11yViolations, hydrated, login } from "./helpers";

const publicPages = [
  "/",
  "/karte",
  "/karte?art=forschung&akteur=universitaet-heidelberg",
  "/karte/netzwerk",
  "/karte/lagebild",
  "/karte/vorschlagen?akteur=universitaet-heidelberg",
  "/akteure/universitaet-heidelberg",
  "/veranstaltungen",
  "/veranstaltungen/kickoff-kraichgau-2025",
  "/fallstudien",
  "/fallstudien/energiemonitoring-in-der-galvanik",
  "/playbook",
  "/anmelden",
  "/einladung/beispiel",
  "/gibt-es-nicht",
];

for (const path of publicPages) {
  test(`no serious accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole("main")).toBeVisible();
    await expect(page.getByRole("banner")).toBeVisible();
    await expect(page.getByRole("contentinfo")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
}

test("no serious accessibility violations on the signed-in pages, in both languages", async ({ page }) => {
  // Eight pages, most with their own split-off chunk (large in the debug build).
  test.setTimeout(60_000);
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  for (const path of ["/konto", "/admin", "/karte/import", "/karte/moderation", "/akteure/neu", "/akteure/dhbw-mosbach/bearbeiten", "/karte/begriffe"]) {
    await page.goto(path);
    await hydrated(page);
    await expectNoSeriousA11yViolations(page);
  }
  await page.goto("/sprache/en?zurueck=/admin");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administration: accounts and roles");
  await expectNoSeriousA11yViolations(page);
});

test("no serious accessibility violations on the organisers' event pages", async ({ page }) => {
  // Four full pages with axe each (the desk lists the demo event's 40 registrations).
  test.setTimeout(90_000);
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  for (const path of ["/veranstaltungen/neu", "/veranstaltungen/kickoff-kraichgau-2025/bearbeiten", "/veranstaltungen/kickoff-kraichgau-2025/einlass", "/veranstaltungen/kickoff-kraichgau-2025/konsole"]) {
    await page.goto(path);
    await hydrated(page);
    await expectNoSeriousA11yViolations(page);
  }
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

test("the layout holds at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/karte");
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Fallstudien" })).toBeVisible();
});
