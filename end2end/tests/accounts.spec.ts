import { test, expect } from "@playwright/test";
import { ADMIN, acceptInvitation, hydrated, inviteAccount, login } from "./helpers";

test("the admin logs in and out", async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await expect(page.getByText("Ada Admin")).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  await expect(nav.getByRole("link", { name: "Verwaltung" })).toBeVisible();
  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(nav.getByRole("link", { name: "Anmelden" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Verwaltung" })).toHaveCount(0);
  await page.goto("/konto");
  await expect(page.getByRole("alert")).toContainText("Bitte melden Sie sich an.");
});

test("a wrong password shows a German error and signs nobody in", async ({ page }) => {
  await login(page, ADMIN.email, "ganz-falsches-passwort");
  await expect(page.getByRole("alert")).toHaveText("E-Mail-Adresse oder Passwort ist falsch.");
  await expect(page).toHaveURL(/\/anmelden/);
  await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Anmelden" })).toBeVisible();
});

test("login works without JavaScript too", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "de-DE" });
  const page = await context.newPage();
  await page.goto("/anmelden");
  await page.getByLabel("E-Mail-Adresse").fill(ADMIN.email);
  await page.getByLabel("Passwort", { exact: true }).fill("falsch-falsch-falsch");
  await page.getByRole("button", { name: "Anmelden" }).click();
  await expect(page.getByRole("alert")).toHaveText("E-Mail-Adresse oder Passwort ist falsch.");
  await page.getByLabel("E-Mail-Adresse").fill(ADMIN.email);
  await page.getByLabel("Passwort", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Anmelden" }).click();
  await expect(page).toHaveURL(/\/konto$/);
  await expect(page.getByText("Ada Admin")).toBeVisible();
  await context.close();
});

test("an admin creates an account and changes its role", async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  const { email } = await inviteAccount(page, "participant", "Paula Partnerin");
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("eingeladen");
  await row.getByLabel("Rolle von Paula Partnerin").selectOption("partner");
  await row.getByRole("button", { name: "Rolle speichern" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rolle gespeichert." })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("row").filter({ hasText: email }).getByLabel("Rolle von Paula Partnerin")).toHaveValue("partner");
});

test("an invalid email in the admin form is explained at the field", async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/admin");
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill("Doppelt");
  await page.getByLabel("E-Mail-Adresse").fill(ADMIN.email);
  await page.getByRole("button", { name: "Anlegen" }).click();
  await expect(page.getByText("Für diese E-Mail-Adresse gibt es bereits ein Konto.")).toBeVisible();
  await expect(page.getByLabel("E-Mail-Adresse")).toHaveAttribute("aria-invalid", "true");
});

test("a participant is refused the admin page", async ({ page, browser }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  const { link } = await inviteAccount(page, "participant", "Theo Teilnehmer");
  const participant = await acceptInvitation(browser, link, "theos-langes-passwort");
  await expect(participant.getByText("Teilnehmende:r")).toBeVisible();
  await expect(participant.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Verwaltung" })).toHaveCount(0);
  const response = await participant.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(participant.getByRole("alert")).toHaveText("Dafür fehlt Ihnen die Berechtigung.");
  await expect(participant.getByRole("button", { name: "Anlegen" })).toHaveCount(0);
  await participant.context().close();
});
