import { test, expect, Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ADMIN, Server, call, expectNoSeriousA11yViolations, formToken, hydrated, login, openEvent } from "./helpers";

// This spec runs its own server on its own database, so it can stop and restart it mid-event.
const dir = mkdtempSync(path.join(tmpdir(), "tandem-live-"));
const server = new Server(3200, {
  ...process.env,
  DATABASE_URL: `sqlite://${dir}/live.db`,
  TANDEM_TILE_URL: "off",
  TANDEM_ADMIN_PASSWORD: ADMIN.password,
});

test.use({ baseURL: server.origin });

test.beforeAll(async () => {
  server.prepare();
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const KINDS = ["mittelstand", "startup", "forschung"];

test("an organiser runs an event with 40 people: rounds start on every phone and the projector, survive a server restart, and end in feedback and a map connection", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  const slug = await openEvent(page.request, { title: "Kickoff Kraichgau", rounds: "4", tables: "20", seats: "3" });

  // Forty people register through the public link (as their browsers would post the form).
  const tokens: string[] = [];
  for (let n = 0; n < 40; n++) {
    const answer = await call(page.request, "veranstaltung/anmelden", {
      slug,
      form_token: await formToken(page.request, slug),
      "registration[person_name]": `Person ${String(n).padStart(2, "0")}`,
      "registration[email]": `person${n}@example.de`,
      "registration[organisation]": `Organisation ${n}`,
      "registration[kind]": KINDS[n % 3],
      "registration[offers]": n % 2 ? "Sensorik, Prototypen" : "Fertigung, Prüfstände",
      "registration[seeks]": n % 2 ? "Fertigung" : "Sensorik",
      "registration[consent]": "on",
    });
    tokens.push(String(answer).split("/").pop()!);
  }
  const desk = await (await page.request.get(`/api/veranstaltung/einlass?slug=${slug}&search=`)).json();
  for (const entry of desk.entries) {
    await call(page.request, "veranstaltung/einlass/buchen", { slug, id: String(entry.id), present: "true" });
  }
  // The first two (whose phones we watch) both want to meet each other.
  const idOf = (name: string) => String(desk.entries.find((e: { person_name: string }) => e.person_name === name).id);
  await call(page.request, "veranstaltung/wunsch", { slug, token: tokens[0], other: idOf("Person 01"), wish: "muss" });
  await call(page.request, "veranstaltung/wunsch", { slug, token: tokens[1], other: idOf("Person 00"), wish: "muss" });
  await call(page.request, "veranstaltung/status", { slug, status: "live" });

  // The organiser's console, the projector (same organiser) and two phones.
  const console_ = page;
  await console_.goto(`/veranstaltungen/${slug}/konsole`);
  await hydrated(console_);
  const projector = await console_.context().newPage();
  // The projector is a 1080p wall: all 40 fit on one page.
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.goto(`/veranstaltungen/${slug}/leinwand`);
  await hydrated(projector);
  const phones: Page[] = [];
  for (const token of tokens.slice(0, 2)) {
    const phone = await (await browser.newContext({ locale: "de-DE", viewport: { width: 390, height: 844 } })).newPage();
    // A phone loads the small phone bundle, which hydrates only the live panel, not the app's.
    const modules: string[] = [];
    phone.on("request", (request) => {
      if (request.url().endsWith(".wasm")) modules.push(new URL(request.url()).pathname);
    });
    await phone.goto(`/veranstaltungen/${slug}/ich/${token}`);
    await hydrated(phone);
    expect([...new Set(modules)]).toEqual(["/pkg/tandem-phone.wasm"]);
    phones.push(phone);
  }
  for (const screen of [console_, projector, ...phones]) {
    await expect(screen.getByText("Live verbunden")).toBeVisible();
  }
  await expect(projector.getByText("40 Personen sind im Raum.")).toBeVisible();

  // Plan: phones and projector show the tables without a reload.
  await console_.getByRole("button", { name: "Nächste Runde planen" }).click();
  await expect(console_.getByRole("heading", { name: "Runde 1", exact: true })).toBeVisible();
  for (const phone of phones) {
    await expect(phone.getByRole("heading", { name: "Ihr Gespräch" })).toBeVisible();
    await expect(phone.locator(".my-meeting__place")).toHaveText(/^Runde 1 · Tisch \d+$/);
    await expect(phone.getByRole("heading", { name: /Ihr Gegenüber: Person \d\d/ })).toBeVisible();
    await expect(phone.getByText("Worüber Sie sprechen können")).toBeVisible();
  }
  await expect(projector.locator(".screen__entry")).toHaveCount(40);
  await expect(projector.locator(".screen__position")).toContainText("Seite 1 von 1");
  await expect(projector.getByText("Runde 1 · Tische stehen fest – bitte Platz nehmen")).toBeVisible();

  // Start: the countdown runs everywhere.
  await console_.getByRole("button", { name: "Runde starten" }).click();
  for (const screen of [projector, ...phones]) {
    await expect(screen.getByText("Runde 1 · läuft")).toBeVisible();
    await expect(screen.getByRole("timer")).toHaveText(/^[78]:\d\d$/);
  }
  const table = await phones[0].locator(".my-meeting__place").textContent();
  await expect(phones[1].locator(".my-meeting__place")).toHaveText(table!);
  await expect(phones[0].getByRole("heading", { name: /Ihr Gegenüber: Person 01/ })).toBeVisible();
  await expectNoSeriousA11yViolations(projector);
  await expectNoSeriousA11yViolations(phones[0]);
  await expectNoSeriousA11yViolations(console_);

  // The server restarts mid-round: the pages notice, reconnect by themselves and lose nothing.
  await server.stop();
  for (const phone of phones) {
    await expect(phone.getByText("Verbindung unterbrochen – verbinde neu …")).toBeVisible();
  }
  await server.start();
  for (const screen of [console_, projector, ...phones]) {
    await expect(screen.getByText("Live verbunden")).toBeVisible({ timeout: 20_000 });
    await expect(screen.getByText("Runde 1 · läuft")).toBeVisible();
  }
  await expect(phones[0].locator(".my-meeting__place")).toHaveText(table!);

  // End: the phones ask how it was.
  await console_.getByRole("button", { name: "Runde beenden" }).click();
  await expect(projector.getByText("Runde 1 · beendet")).toBeVisible();
  for (const phone of phones) {
    await expect(phone.getByRole("heading", { name: "Wie waren Ihre Gespräche?" })).toBeVisible();
    await phone.getByLabel("5 Sterne").check();
    await phone.getByLabel("Ich möchte mit diesem Kontakt weitermachen").check();
    await phone.getByRole("button", { name: "Rückmeldung senden" }).click();
    await expect(phone.getByRole("button", { name: "Rückmeldung ändern" })).toBeVisible();
  }

  // The report lists their mutual follow-up; confirmed, it is a connection on the map.
  await console_.goto(`/veranstaltungen/${slug}/bericht`);
  await hydrated(console_);
  await expect(console_.locator("dl.stats")).toContainText("Gespräche20");
  await expect(console_.getByRole("listitem").filter({ hasText: "Person 00 (Organisation 0) × Person 01 (Organisation 1)" })).toBeVisible();
  await expectNoSeriousA11yViolations(console_);
  await console_.getByRole("button", { name: "Als Verbindung bestätigen" }).click();
  await expect(console_.getByText("Auf der Karte", { exact: true })).toBeVisible();
  await console_.goto(`/veranstaltungen/${slug}/tischplan`);
  await hydrated(console_);
  await expect(console_.getByRole("heading", { name: "Runde 1", exact: true })).toBeVisible();
  await expect(console_.getByRole("row")).toHaveCount(21);
});

test("with bookable slots, one participant requests a meeting, the other accepts, and the organiser places it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  const slug = await openEvent(
    page.request,
    {
      title: "Terminbörse Sinsheim",
      venue: "Rathaus",
      town: "Sinsheim",
      starts_at: "{day}T09:00",
      ends_at: "{day}T12:00",
      round_minutes: "20",
      rounds: "6",
      tables: "4",
      seats: "2",
      format: "termine",
      break_after: "2",
    },
    2,
  );
  const phones: Page[] = [];
  for (const [name, organisation, kind] of [["Anna Alpers", "Alpers Fräsen", "mittelstand"], ["Ben Brandt", "Brandt Sensorik", "startup"]]) {
    const answer = await call(page.request, "veranstaltung/anmelden", {
      slug,
      form_token: await formToken(page.request, slug),
      "registration[person_name]": name,
      "registration[email]": `${name.split(" ")[0].toLowerCase()}@example.de`,
      "registration[organisation]": organisation,
      "registration[kind]": kind,
      "registration[offers]": "Fertigung",
      "registration[seeks]": "Sensorik",
      "registration[consent]": "on",
    });
    const phone = await (await browser.newContext({ locale: "de-DE" })).newPage();
    await phone.goto(String(answer));
    await hydrated(phone);
    phones.push(phone);
  }
  const [anna, ben] = phones;
  // Anna registered before Ben: she sees him once she looks again.
  await anna.reload();
  await hydrated(anna);
  await expect(anna.getByRole("heading", { name: "Ihre Termine" })).toBeVisible();
  await anna.getByRole("button", { name: "Termin anfragen: Ben Brandt" }).click();
  await expect(anna.getByText("Angefragt – wartet auf Antwort")).toBeVisible();
  await expect(anna.getByText("Zwischen Ihnen gibt es schon eine Terminanfrage.")).toBeVisible();
  // The request reaches Ben's open page without a reload. Anna takes it back before he answers:
  // it leaves his page as well; she asks again.
  await expect(ben.getByText("Möchte Sie treffen")).toBeVisible();
  await anna.getByRole("button", { name: "Anfrage zurückziehen: Ben Brandt (Brandt Sensorik)" }).click();
  await expect(ben.getByText("Möchte Sie treffen")).toHaveCount(0);
  await anna.getByRole("button", { name: "Termin anfragen: Ben Brandt" }).click();
  // His answer reaches Anna's page, the placed time both.
  await expect(ben.getByText("Möchte Sie treffen")).toBeVisible();
  await expectNoSeriousA11yViolations(ben);
  await ben.getByRole("button", { name: "Zusagen: Anna Alpers (Alpers Fräsen)" }).click();
  await expect(ben.getByText("Zugesagt – Uhrzeit und Tisch folgen")).toBeVisible();
  await expect(anna.getByText("Zugesagt – Uhrzeit und Tisch folgen")).toBeVisible();

  await page.goto(`/veranstaltungen/${slug}/konsole`);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Gebuchte Termine" })).toBeVisible();
  await page.getByRole("button", { name: "Alle zugesagten Termine einplanen" }).click();
  await expect(page.getByText("1 Termine eingeplant.")).toBeVisible();
  await expect(page.getByRole("row", { name: /09:00 Tisch 1 Anna Alpers/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await expect(anna.getByText("09:00 · Tisch 1")).toBeVisible();
  await expect(ben.getByText("09:00 · Tisch 1")).toBeVisible();
});
