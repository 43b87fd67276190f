import { test, expect } from "@playwright/test";
import { ADMIN, expectNoSeriousA11yViolations, hydrated, login } from "./helpers";

const badFile = [
  "name;art;ort;breite;laenge",
  "Gute Sensorik GmbH;mittelstand;Sinsheim;49,25;8,88",
  "Falsche Art GmbH;konzern;Sinsheim;49,25;8,88",
  "Weit Weg UG;startup;Nirgendwo;149;8",
].join("\n");

// Not public (oeffentlich = nein), so the other tests keep seeing the demo region's 144 actors.
const goodFile = [
  "name;art;ort;breite;laenge;oeffentlich",
  "Playwright Prüfstand GmbH;mittelstand;Eppingen;49,137;8,911;nein",
  "Playwright Labor UG;startup;Bretten;49,036;8,706;nein",
].join("\n");

test("an import with bad rows lists them and imports nothing", async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/karte/import");
  await hydrated(page);
  await page.getByLabel("CSV-Datei").setInputFiles({ name: "akteure.csv", mimeType: "text/csv", buffer: Buffer.from(badFile) });
  await expect(page.getByLabel("Inhalt (aus der Datei oder eingefügt)")).toHaveValue(/Falsche Art/);
  await page.getByRole("button", { name: "Prüfen (Probelauf)" }).click();
  const rows = page.locator(".import-problems tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("3");
  await expect(rows.nth(0)).toContainText("Unbekannte Art.");
  await expect(rows.nth(1)).toContainText("4");
  await expect(rows.nth(1)).toContainText("Breite muss zwischen -90 und 90");
  await expect(page.getByRole("alert")).toContainText("Nichts importiert");
  await expect(page.getByRole("button", { name: "Jetzt importieren" })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);

  await page.goto("/karte?q=gute+sensorik");
  await hydrated(page);
  await expect(page.getByTestId("map-counts")).toContainText("0 Akteure");
});

test("a clean import shows its progress and lands completely", async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/karte/import");
  await hydrated(page);
  const content = page.getByLabel("Inhalt (aus der Datei oder eingefügt)");
  await content.fill(goodFile);
  const importNow = page.getByRole("button", { name: "Jetzt importieren" });
  await expect(importNow).toBeDisabled();
  await page.getByRole("button", { name: "Prüfen (Probelauf)" }).click();
  await expect(page.getByText("Alle Zeilen sind in Ordnung")).toBeVisible();
  await importNow.click();
  await expect(page.getByText("Import abgeschlossen. Importierte Zeilen: 2")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Fortschritt des Imports" })).toHaveAttribute("value", "2");
  // The same file again: both rows exist now.
  await content.fill(goodFile + "\n");
  await page.getByRole("button", { name: "Prüfen (Probelauf)" }).click();
  await expect(page.locator(".import-problems tbody tr")).toHaveCount(2);
});

test("the import page is for partners and admins only", async ({ page }) => {
  await page.goto("/karte/import");
  await expect(page.getByRole("alert")).toContainText("Bitte melden Sie sich an.");
});

test("the embed page works without login, also inside an iframe", async ({ page }) => {
  await page.goto("/einbetten/karte?art=forschung");
  await hydrated(page);
  await expect(page.getByRole("navigation", { name: "Hauptnavigation" })).toHaveCount(0);
  const map = page.locator(".map[data-state=ready]");
  await expect(map).toHaveCount(1, { timeout: 20_000 });
  const research = Number(await map.getAttribute("data-actors"));
  expect(research).toBeGreaterThan(0);
  expect(research).toBeLessThan(144);
  await expect(page.getByRole("link", { name: "Im Tandem-Netzwerk öffnen" })).toHaveAttribute("href", "/karte?art=forschung");
  await expectNoSeriousA11yViolations(page);

  await page.setContent(
    `<main><h1>Partnerseite</h1><iframe title="Karte" src="http://127.0.0.1:3100/einbetten/karte?art=startup" width="900" height="700"></iframe></main>`,
  );
  const frame = page.frameLocator("iframe");
  await expect(frame.locator(".map[data-state=ready]")).toHaveCount(1, { timeout: 20_000 });
});

test("a proposal from anyone is accepted by an editor and appears on the map", async ({ page, browser }) => {
  const visitor = await browser.newContext({ locale: "de-DE" });
  const anonymous = await visitor.newPage();
  await anonymous.goto("/karte/vorschlagen");
  await hydrated(anonymous);
  await anonymous.getByLabel("Name", { exact: true }).first().fill("Playwright Imkerei eG");
  await anonymous.getByLabel("Art", { exact: true }).selectOption("initiative");
  await anonymous.getByLabel("Ort", { exact: true }).fill("Kraichtal");
  await anonymous.getByLabel("Breitengrad (z. B. 49,25)").fill("49,14");
  await anonymous.getByLabel("Längengrad (z. B. 8,88)").fill("8,74");
  // Not public: the other tests keep seeing 144 actors.
  await anonymous.getByLabel("Die Organisation ist einverstanden").uncheck();
  await anonymous.locator("#feld-proposer_name").fill("Imke Imker");
  await anonymous.getByLabel("E-Mail-Adresse").fill("imke@example.de");
  await anonymous.getByRole("button", { name: "Vorschlag senden" }).click();
  await expect(anonymous.getByRole("status").filter({ hasText: "Danke!" })).toBeVisible();
  await visitor.close();

  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/karte/moderation");
  await hydrated(page);
  const card = page.locator(".card", { hasText: "Playwright Imkerei eG" });
  await expect(card).toContainText("Imke Imker");
  await card.getByRole("button", { name: "Übernehmen" }).click();
  await expect(card).toHaveCount(0);
  await page.goto("/akteure/playwright-imkerei-eg/bearbeiten");
  await hydrated(page);
  await expect(page.getByLabel("Name", { exact: true }).first()).toHaveValue("Playwright Imkerei eG");
});
