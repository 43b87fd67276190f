import { expect, Page, Browser } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const ADMIN = { email: "admin@tandem.test", password: "e2e-admin-passwort" };

/** Waits until the WASM bundle has hydrated the page. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1, { timeout: 20_000 });
}

export async function login(page: Page, email: string, password: string) {
  await page.goto("/anmelden");
  await hydrated(page);
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Passwort", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Anmelden" }).click();
}

let counter = 0;

/** The admin creates an account through the admin page; returns its email and invitation link. */
export async function inviteAccount(page: Page, role: string, name: string) {
  counter += 1;
  const email = `person-${Date.now()}-${counter}@example.de`;
  await page.goto("/admin");
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Rolle", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Anlegen" }).click();
  const link = await page.locator("code.invite-link").textContent();
  expect(link).toContain("/einladung/");
  return { email, link: link!.trim() };
}

/** Opens an invitation in a fresh browser context and sets a password; returns the signed-in page. */
export async function acceptInvitation(browser: Browser, link: string, password: string) {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(new URL(link).pathname);
  await hydrated(page);
  await page.getByLabel("Neues Passwort").fill(password);
  await page.getByRole("button", { name: "Passwort festlegen und anmelden" }).click();
  await expect(page).toHaveURL(/\/konto$/);
  return page;
}

export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}
