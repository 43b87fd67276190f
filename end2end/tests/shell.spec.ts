import { test, expect } from "@playwright/test";
import { hydrated } from "./helpers";

test("the home page is complete before any JavaScript runs", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "de-DE" });
  const page = await context.newPage();
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Innovationspartnerschaften");
  await expect(page.locator(".stats dd").first()).toHaveText("144");
  await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Karte" })).toBeVisible();
  // Links work as plain links too.
  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Karte" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Akteurskarte");
  await expect(page.getByRole("link", { name: "Hochschule Heilbronn", exact: true })).toBeVisible();
  await context.close();
});

test("after hydration the app navigates without reloading", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.evaluate(() => ((window as any).__sameDocument = true));
  // Pages without a map carry no Leaflet; the map loads it when it is reached in the app.
  await expect(page.locator('script[src*="leaflet"]')).toHaveCount(0);
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  await nav.getByRole("link", { name: "Veranstaltungen" }).click();
  await expect(page).toHaveURL(/\/veranstaltungen$/);
  await expect(page.getByRole("heading", { name: "Kickoff InnovationsPartnerschaften Kraichgau 2025" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Veranstaltungen" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Karte" }).click();
  await expect(page.locator(".leaflet-container canvas").first()).toBeVisible();
  await page.getByRole("link", { name: "Hochschule Heilbronn", exact: true }).click();
  await expect(page).toHaveURL(/akteur=hochschule-heilbronn/);
  await page.getByRole("link", { name: "Zur Profilseite" }).click();
  await expect(page).toHaveURL(/\/akteure\/hochschule-heilbronn$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hochschule Heilbronn");
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test("the language switch turns the interface English and back", async ({ page }) => {
  await page.goto("/karte");
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await page.getByRole("link", { name: "Switch to English" }).click();
  await expect(page).toHaveURL(/\/karte$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Actor map");
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Events" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("link", { name: "Auf Deutsch umschalten" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Akteurskarte");
});

test("an unknown address answers 404 with a German page", async ({ page }) => {
  const response = await page.goto("/gibt-es-nicht");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Seite nicht gefunden");
});

test("split-off pages load their code on the way, and a chunk that fails to load reloads the page", async ({ page }) => {
  await page.goto("/fallstudien");
  await hydrated(page);
  await page.evaluate(() => ((window as any).__sameDocument = true));
  // A story's page and its markdown renderer are not in the main bundle: they arrive on the way.
  const chunks: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith(".wasm")) chunks.push(new URL(request.url()).pathname);
  });
  await page.getByRole("link", { name: "Energiemonitoring, das die Werkhalle versteht" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Energiemonitoring/);
  expect(chunks.some((path) => path.includes("case_study_route"))).toBe(true);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  // The playbook's chunk fails once (a dropped connection, or a release replaced the files):
  // the page loads again from the server instead of staying dead, and the link then works.
  await page.goto("/fallstudien");
  await hydrated(page);
  await page.route(/playbook_route/, (route) => route.abort(), { times: 1 });
  const reloaded = page.waitForEvent("load");
  const playbook = page.getByRole("link", { name: "Playbook Innovationspartnerschaften" });
  await playbook.click();
  await reloaded;
  await hydrated(page);
  await expect(page).toHaveURL(/\/fallstudien$/);
  await playbook.click();
  await expect(page).toHaveURL(/\/playbook$/);
  await expect(page.getByRole("heading", { name: "Inhalt" })).toBeVisible();
});
