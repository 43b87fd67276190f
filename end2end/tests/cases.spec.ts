import { test, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ADMIN,
  acceptInvitation,
  expectNoSeriousA11yViolations,
  hydrated,
  inviteAccount,
  login,
} from "./helpers";

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const HOSTILE: string[] = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "hostile-markdown.json"), "utf8"));

/** The admin links an account to its organisation on the map. */
async function linkOrganisation(page: Page, name: string, actorSlug: string) {
  await page.goto("/admin");
  await hydrated(page);
  await page.getByLabel(`Organisation von ${name}`).fill(actorSlug);
  const row = page.getByRole("row").filter({ hasText: name });
  await row.getByRole("button", { name: "Zuordnen" }).click();
  await expect(page.getByLabel(`Organisation von ${name}`)).toHaveValue(actorSlug);
}

/** Nothing in the preview can run script or load foreign content. */
async function expectInertPreview(page: Page) {
  const unsafe = await page.locator(".case--preview").first().evaluate((root) => {
    const found: string[] = [];
    for (const element of Array.from(root.querySelectorAll("*"))) {
      const tag = element.tagName.toLowerCase();
      if (["script", "svg", "iframe", "object", "embed", "form", "style", "math", "link", "meta", "base"].includes(tag)) {
        found.push(tag);
      }
      for (const attribute of Array.from(element.attributes)) {
        const value = attribute.value.replace(/\s/g, "").toLowerCase();
        if (attribute.name.startsWith("on")) found.push(`${tag}[${attribute.name}]`);
        if (["href", "src"].includes(attribute.name) && /^(javascript|vbscript|data):/.test(value)) {
          found.push(`${tag}[${attribute.name}=${value}]`);
        }
        if (attribute.name === "src" && !attribute.value.startsWith("/bilder/")) found.push(`${tag}[src=${attribute.value}]`);
      }
    }
    return found;
  });
  expect(unsafe).toEqual([]);
}

test("a partner writes a case study, it is reviewed, both partner organisations approve, it is published", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const dialogs: string[] = [];

  // The admin invites two partners and links each to its organisation on the map.
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  const anna = await inviteAccount(page, "partner", "Anna Acker");
  const bela = await inviteAccount(page, "partner", "Bela Berg");
  await linkOrganisation(page, "Anna Acker", "kraichbach-landmaschinen-kg");
  await linkOrganisation(page, "Bela Berg", "circulo-gmbh");
  const annaPage = await acceptInvitation(browser, anna.link, "anna-passwort-123");
  const belaPage = await acceptInvitation(browser, bela.link, "bela-passwort-123");
  annaPage.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });

  // Anna starts a story with both partners and writes it with the live preview.
  await annaPage.goto("/fallstudien/neu");
  await hydrated(annaPage);
  await annaPage.getByLabel("Titel").fill("Teile im Kreislauf");
  await annaPage.getByLabel("Partner 1").selectOption({ label: "Kraichbach Landmaschinen KG, Ubstadt-Weiher (Mittelstand)" });
  await annaPage.getByLabel("Partner 2").selectOption({ label: "Circulo GmbH, Philippsburg (Startup)" });
  await annaPage.getByRole("button", { name: "Anlegen und bearbeiten" }).click();
  await expect(annaPage).toHaveURL(/\/fallstudien\/teile-im-kreislauf\/bearbeiten$/);
  await hydrated(annaPage);
  const preview = annaPage.locator(".case--preview").first();
  await annaPage.getByLabel("Ausgangslage und Herausforderung").fill("Verschleißteile landen im **Schrott**.");
  await expect(preview.locator("strong", { hasText: "Schrott" })).toBeVisible();
  await annaPage.getByLabel("Lösung", { exact: true }).fill("Eine Rücknahme-App mit Gutschrift.");
  await annaPage.getByLabel("Ergebnis", { exact: true }).fill("2.300 Teile kamen im ersten Jahr zurück.");
  await annaPage.getByLabel("Kennzahlen").fill("2.300 | Teile zurück\n61 % | wieder verkauft");
  await expect(preview.getByText("wieder verkauft")).toBeVisible();

  // The whole hostile corpus in the preview: rendered by the same code as on the server, inert.
  await annaPage.getByLabel("Ausblick").fill(HOSTILE.join("\n\n"));
  await expect(preview.getByRole("heading", { name: "Ausblick" })).toBeVisible();
  await expectInertPreview(annaPage);
  await annaPage.getByLabel("Ausblick").fill("Ausweitung auf die Pfalz.");

  // Images: an SVG is refused, a PNG is stored and needs its alternative text.
  await annaPage.getByLabel("Bilddatei").setInputFiles({ name: "logo.svg", mimeType: "image/png", buffer: Buffer.from("<svg onload=alert(1)></svg>") });
  await annaPage.getByLabel("Alternativtext (was ist zu sehen?)").fill("Logo");
  await annaPage.getByRole("button", { name: "Hochladen" }).click();
  await expect(annaPage.getByRole("alert").filter({ hasText: "kein SVG" })).toBeVisible();
  await annaPage.getByLabel("Bilddatei").setInputFiles({ name: "halle.png", mimeType: "image/png", buffer: PNG });
  await annaPage.getByLabel("Alternativtext (was ist zu sehen?)").fill("Die Aufbereitungsstrecke");
  await annaPage.getByRole("button", { name: "Hochladen" }).click();
  await expect(annaPage.getByLabel("Alternativtext von Bild 1")).toHaveValue("Die Aufbereitungsstrecke");
  await expect(preview.locator("img[alt='Die Aufbereitungsstrecke']")).toHaveCount(1);

  await annaPage.getByRole("button", { name: "Speichern", exact: true }).click();
  await expect(annaPage.getByText("Gespeichert (Version 2)")).toBeVisible();
  await expectNoSeriousA11yViolations(annaPage);
  await annaPage.getByRole("button", { name: "Zur Prüfung einreichen" }).click();
  await expect(annaPage.locator(".workflow__stages li.current")).toHaveText(/In Prüfung/);

  // The admin reviews and asks the partners for approval.
  await page.goto("/mitteilungen");
  await hydrated(page);
  await expect(page.getByText("hat zur Prüfung eingereicht")).toBeVisible();
  await page.getByRole("link", { name: "Teile im Kreislauf" }).first().click();
  await hydrated(page);
  await page.getByRole("button", { name: "Freigabe bei den Partnern anfragen" }).click();
  await expect(page.locator(".workflow__stages li.current")).toHaveText(/Freigabe/);
  await expect(page.getByRole("button", { name: "Veröffentlichen" })).toHaveCount(0);
  await page.getByRole("button", { name: "Persönliche Freigabelinks erzeugen" }).click();
  const circuloLink = (await page.locator(".approval-links li", { hasText: "Circulo GmbH" }).locator("code").textContent())!.trim();

  // Bela approves for Circulo through the personal link; Anna for Kraichbach through her account.
  await belaPage.goto(new URL(circuloLink).pathname);
  await hydrated(belaPage);
  await expect(belaPage.getByRole("heading", { name: "Teile im Kreislauf" })).toBeVisible();
  await expectNoSeriousA11yViolations(belaPage);
  await belaPage.getByRole("button", { name: "Für Circulo GmbH freigeben" }).click();
  await expect(belaPage.getByText("Danke, Ihre Entscheidung ist gespeichert.")).toBeVisible();
  await annaPage.goto("/fallstudien/teile-im-kreislauf/bearbeiten");
  await hydrated(annaPage);
  await expect(annaPage.locator(".approvals")).toContainText("Circulo GmbH: ✓");
  await annaPage.getByRole("button", { name: "Für Kraichbach Landmaschinen KG freigeben" }).click();
  await expect(annaPage.locator(".approvals")).toContainText("Kraichbach Landmaschinen KG: ✓");

  // Published: the public page with its partners on the map, and everyone was told.
  await page.reload();
  await hydrated(page);
  await page.getByRole("button", { name: "Veröffentlichen" }).click();
  await expect(page.locator(".workflow__stages li.current")).toHaveText(/Veröffentlicht/);
  await page.goto("/fallstudien/teile-im-kreislauf");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Teile im Kreislauf" })).toBeVisible();
  await expect(page.locator("meta[property='og:title']")).toHaveAttribute("content", "Teile im Kreislauf");
  await expect(page.getByRole("link", { name: "Kraichbach Landmaschinen KG", exact: true })).toHaveAttribute("href", "/akteure/kraichbach-landmaschinen-kg");
  await expect(page.locator(".case__figures")).toContainText("61 %");
  await expectNoSeriousA11yViolations(page);
  await belaPage.goto("/mitteilungen");
  await hydrated(belaPage);
  await expect(belaPage.getByText("hat veröffentlicht")).toBeVisible();
  await expectNoSeriousA11yViolations(belaPage);
  await page.goto("/fallstudien?art=startup&q=kreislauf");
  await hydrated(page);
  await expect(page.getByRole("link", { name: "Teile im Kreislauf" })).toBeVisible();
  expect(dialogs).toEqual([]);
});

test("two people editing at once: the second save shows both versions and overwrites nothing", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const slug = "sensorgestuetzte-ruecknahme-landmaschinen";
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  // Published stories are read-only: withdraw and reopen as a draft first.
  await page.goto(`/fallstudien/${slug}/bearbeiten`);
  await hydrated(page);
  await expect(page.getByText("schreibgeschützt")).toBeVisible();
  await page.getByRole("button", { name: "Zurückziehen" }).click();
  await page.getByRole("button", { name: "Wieder als Entwurf öffnen" }).click();
  await expect(page.locator(".workflow__stages li.current")).toHaveText(/Entwurf/);

  const admin2 = await browser.newContext({ locale: "de-DE" });
  const other = await admin2.newPage();
  await login(other, ADMIN.email, ADMIN.password);
  await expect(other).toHaveURL(/\/konto$/);
  await other.goto(`/fallstudien/${slug}/bearbeiten`);
  await hydrated(other);
  await page.reload();
  await hydrated(page);

  await page.getByLabel("Lösung", { exact: true }).fill("Fassung aus dem ersten Fenster.");
  await page.getByRole("button", { name: "Speichern", exact: true }).click();
  await expect(page.getByText(/Gespeichert \(Version \d+\)/)).toBeVisible();
  await other.getByLabel("Lösung", { exact: true }).fill("Fassung aus dem zweiten Fenster.");
  await other.getByRole("button", { name: "Speichern", exact: true }).click();
  const conflict = other.locator(".conflict");
  await expect(conflict.getByRole("heading", { name: "Jemand anderes hat gespeichert" })).toBeVisible();
  await expect(conflict.locator(".diff__removed")).toContainText("Fassung aus dem ersten Fenster.");
  await expect(conflict.locator(".diff__added")).toContainText("Fassung aus dem zweiten Fenster.");
  await expectNoSeriousA11yViolations(other);
  await other.getByRole("button", { name: "Gespeicherte Fassung übernehmen" }).click();
  await expect(other.getByLabel("Lösung", { exact: true })).toHaveValue("Fassung aus dem ersten Fenster.");

  // The history compares any two versions and restores one.
  await page.goto(`/fallstudien/${slug}/versionen`);
  await hydrated(page);
  await page.getByRole("button", { name: "Vergleichen" }).click();
  await expect(page.locator(".diff__added")).toContainText("Fassung aus dem ersten Fenster.");
  // Comparing is a plain GET form: the page loads anew and is interactive once hydrated.
  await hydrated(page);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "Wiederherstellen Version 1" }).click();
  await expect(page.getByText("Die Version wurde als neue Version wiederhergestellt.")).toBeVisible();
  await admin2.close();
});

test("the playbook prints as a booklet with cover and contents, and exports as one file", async ({ page }) => {
  test.setTimeout(90_000);
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/playbook/bearbeiten");
  await hydrated(page);
  await page.getByLabel("Einführung").fill("Wie der Kraichgau Tandems **anstößt**.");
  await page.getByRole("button", { name: "Playbook speichern" }).click();
  await expect(page.getByText("Das Playbook ist gespeichert.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto("/playbook");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Inhalt" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const pdf = join(mkdtempSync(join(tmpdir(), "tandem-playbook-")), "playbook.pdf");
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: pdf, format: "A4", displayHeaderFooter: false, preferCSSPageSize: true });
  const pages = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" })
    .split("\f")
    .map((text) => text.replace(/\s+/g, " "));
  // Cover alone on page 1 (no site navigation), contents on page 2, each chapter on its own pages.
  expect(pages[0]).toContain("Playbook Innovationspartnerschaften");
  expect(pages[0]).not.toContain("Inhalt");
  expect(pages[0]).not.toContain("Veranstaltungen");
  expect(pages[1]).toContain("Inhalt");
  for (const title of ["Energiemonitoring, das die Werkhalle versteht", "Einführung", "Methode"]) {
    expect(pages[1]).toContain(title);
  }
  expect(pages.filter((p) => p.trim().length > 0).length).toBeGreaterThanOrEqual(5);
  // Page numbers from the print stylesheet's @page margin box: the third page says 3.
  expect(pages[2].trim()).toMatch(/\b3$/);

  const exported = await page.request.get("/playbook/export.html");
  expect(exported.ok()).toBeTruthy();
  const html = await exported.text();
  expect(html).toContain("<style>");
  expect(html).toContain("anstößt");
  expect(html).not.toContain("<script");
});
