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
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  await nav.getByRole("link", { name: "Veranstaltungen" }).click();
  await expect(page).toHaveURL(/\/veranstaltungen$/);
  await expect(page.getByRole("heading", { name: "Kickoff InnovationsPartnerschaften Kraichgau 2025" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Veranstaltungen" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Karte" }).click();
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
