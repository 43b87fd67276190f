import { test, expect } from "@playwright/test";
import { ADMIN, expectNoSeriousA11yViolations, hydrated, login } from "./helpers";

/** A day `days` from today as YYYY-MM-DD. */
function dayFromNow(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("an organiser opens an event, a person registers with a personal QR link, and the desk checks them in", async ({ page, browser }) => {
  // The whole journey of an event in one test: two browsers, a dozen pages, axe on four of them.
  test.setTimeout(120_000);
  const title = `Netzwerkabend ${Date.now()}`;
  const day = dayFromNow(20);
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/veranstaltungen/neu");
  await hydrated(page);
  await page.getByLabel("Titel").fill(title);
  await page.getByLabel("Veranstaltungsort").fill("Alte Kelter");
  await page.getByLabel("Ort", { exact: true }).fill("Eppingen");
  await page.getByLabel("Beginn").fill(`${day}T17:00`);
  await page.getByLabel("Ende", { exact: true }).fill(`${day}T16:00`);
  await page.getByRole("button", { name: "Veranstaltung speichern" }).click();
  await expect(page.getByText("Das Ende liegt vor dem Beginn.")).toBeVisible();
  await expect(page.getByLabel("Ende", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Ende", { exact: true }).fill(`${day}T21:00`);
  await page.getByRole("button", { name: "Veranstaltung speichern" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByText("Die Veranstaltung ist gespeichert.")).toBeVisible();
  await expect(page.getByText("Die Anmeldung ist gerade nicht geöffnet.")).toBeVisible();
  await page.getByRole("button", { name: "Status ändern: Anmeldung offen" }).click();
  await expect(page.getByRole("button", { name: "Status ändern: Läuft gerade" })).toBeVisible();
  const eventUrl = page.url().replace(/\?.*$/, "");

  // A participant, not signed in, in a browser of their own.
  const visitor = await (await browser.newContext({ locale: "de-DE" })).newPage();
  await visitor.goto(new URL(eventUrl).pathname);
  await hydrated(visitor);
  await visitor.getByLabel("Name", { exact: true }).fill("Eva Roth");
  await visitor.getByLabel("E-Mail-Adresse").fill(`eva-${Date.now()}@example.de`);
  // The map's organisations are offered while the name is typed, small typos forgiven.
  const organisation = visitor.getByLabel("Organisation", { exact: true });
  await organisation.pressSequentially("hochschule heilbron");
  const suggestion = visitor.getByRole("button", { name: "Hochschule Heilbronn · Heilbronn", exact: true });
  await expect(suggestion).toBeVisible();
  await expectNoSeriousA11yViolations(visitor);
  await suggestion.click();
  await expect(organisation).toHaveValue("Hochschule Heilbronn");
  await expect(suggestion).toHaveCount(0);
  await organisation.fill("Roth Fräsen GmbH");
  await visitor.getByLabel("Art").selectOption("mittelstand");
  await visitor.getByLabel("Was ich anbiete").fill("Fertigung, Prüfstände");
  await visitor.getByLabel("Was ich suche").fill("Sensorik, KI");
  await visitor.getByLabel("Künstliche Intelligenz").check();
  await visitor.getByLabel("Mein Profil").check();
  await visitor.getByRole("button", { name: "Verbindlich anmelden" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Meine Anmeldung");
  await expect(visitor.getByRole("status")).toContainText("Zeigen Sie am Einlass diesen QR-Code");
  await expect(visitor.getByRole("img", { name: "QR-Code mit Ihrem persönlichen Link" }).locator("svg")).toBeVisible();
  await expect(visitor.getByText("Künstliche Intelligenz")).toBeVisible();
  await expectNoSeriousA11yViolations(visitor);
  const personalLink = await visitor.locator("a.qr__link").getAttribute("href");
  expect(personalLink).toMatch(/\/veranstaltungen\/.+\/ich\/[0-9a-f]{64}$/);

  // The organiser scans the QR code: the link opens the personal page with a check-in button.
  await page.goto(new URL(personalLink!).pathname);
  await hydrated(page);
  await page.getByRole("button", { name: "Einchecken: Eva Roth" }).click();
  await expect(page.getByRole("status")).toContainText("Sie sind eingecheckt");

  await page.goto(`${new URL(eventUrl).pathname}/einlass`);
  await hydrated(page);
  const stats = page.locator("dl.stats");
  await expect(stats).toContainText("Angemeldet1");
  await expect(stats).toContainText("Anwesend1");
  await page.getByRole("button", { name: "Auschecken: Eva Roth" }).click();
  await expect(stats).toContainText("Gegangen1");
  await expect(page.getByRole("row", { name: /Eva Roth/ })).toContainText("gegangen");

  // Walk-up at the door: registered and checked in at once.
  const door = page.locator("section", { has: page.getByRole("heading", { name: "Anmeldung an der Tür" }) });
  await door.getByLabel("Name", { exact: true }).fill("Jonas Weber");
  await door.getByLabel("E-Mail-Adresse").fill(`jonas-${Date.now()}@example.de`);
  await door.getByLabel("Organisation", { exact: true }).fill("Weber Robotics");
  await door.getByLabel("Art").selectOption("startup");
  await door.getByLabel("Mein Profil").check();
  await door.getByRole("button", { name: "Anmelden und einchecken" }).click();
  await expect(page.getByText("Angemeldet und eingecheckt.")).toBeVisible();
  await expect(stats).toContainText("Angemeldet2");
  await expect(stats).toContainText("Anwesend1");
  await expectNoSeriousA11yViolations(page);

  // Eva finds Jonas among the participants and wishes to meet him; the suggestion says why.
  await visitor.reload();
  await hydrated(visitor);
  // The list is searched in the address, so a large event stays a short page.
  await visitor.getByLabel("Teilnehmende suchen").fill("weber robotics");
  await visitor.getByRole("button", { name: "Suchen", exact: true }).click();
  await expect(visitor).toHaveURL(/suche=weber\+robotics/);
  await expect(visitor.getByText("Gefunden: 1", { exact: true })).toBeVisible();
  const wish = visitor.getByLabel("Ihr Wunsch: Jonas Weber");
  // The live socket's first state, arriving just after hydration, makes the page fetch its data
  // once more and draws the list anew, which can drop a choice made in that moment; choose again
  // until the wish is saved.
  await expect(async () => {
    await wish.selectOption("muss");
    await visitor.getByRole("listitem").filter({ has: wish }).getByRole("button", { name: "Speichern" }).click();
    await expect(visitor.getByText("Sie möchten dieses Treffen.")).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 15000 });
  await expect(visitor.getByLabel("Ihr Wunsch: Jonas Weber")).toHaveValue("muss");
  await expectNoSeriousA11yViolations(visitor);

  // Eva comes back in; the event goes live and the first round seats Eva and Jonas together.
  await page.goto(`${new URL(eventUrl).pathname}/einlass`);
  await hydrated(page);
  await page.getByRole("button", { name: "Einchecken: Eva Roth" }).click();
  await expect(stats).toContainText("Anwesend2");
  await page.goto(new URL(eventUrl).pathname);
  await hydrated(page);
  await page.getByRole("button", { name: "Status ändern: Läuft gerade" }).click();
  await expect(page.getByRole("button", { name: "Status ändern: Abgeschlossen" })).toBeVisible();
  await page.goto(`${new URL(eventUrl).pathname}/konsole`);
  await hydrated(page);
  await expect(page.getByText("Noch keine Runde geplant.")).toBeVisible();
  await page.getByRole("button", { name: "Nächste Runde planen" }).click();
  await expect(page.getByRole("heading", { name: "Runde 1" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Eva Roth/ })).toContainText("Jonas Weber");
  await expectNoSeriousA11yViolations(page);
  await visitor.reload();
  await hydrated(visitor);
  await expect(visitor.getByRole("heading", { name: "Ihr Gespräch" })).toBeVisible();
  await expect(visitor.getByText("Runde 1 · Tisch 1")).toBeVisible();
  await expect(visitor.getByRole("heading", { name: /Ihr Gegenüber: Jonas Weber/ })).toBeVisible();

  // The person withdraws: everything they gave is gone.
  await visitor.getByRole("button", { name: "Anmeldung löschen" }).click();
  await expect(visitor.getByText("Ihre Anmeldung und alle Angaben dazu sind gelöscht.")).toBeVisible();
  await visitor.goto(new URL(personalLink!).pathname);
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Meine Anmeldung");
  await expect(visitor.getByRole("alert")).toBeVisible();
});

test("the event pages refuse organiser work without the role", async ({ page }) => {
  await page.goto("/veranstaltungen/neu");
  await hydrated(page);
  await expect(page.getByRole("alert")).toContainText("Bitte melden Sie sich an");
  await page.goto("/veranstaltungen");
  await hydrated(page);
  await expect(page.getByRole("link", { name: "Neue Veranstaltung" })).toHaveCount(0);
});
