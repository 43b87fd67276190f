import { test, expect } from "@playwright/test";
import { ADMIN, call, formToken, hydrated, inviteAccount, login, openEvent, read, seriousA11yViolations } from "./helpers";

// What a newcomer meets in forms: actors chosen by their name, every problem at once, the story
// editor at both widths, an actor placed on the map, and a must-meet pair seated first.

test.beforeEach(async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
});

test("an account is linked to an organisation by typing its name, as the list offers it", async ({ page }) => {
  await inviteAccount(page, "partner", "Nora Namentlich");
  await page.goto("/admin");
  await hydrated(page);
  const field = page.getByLabel("Organisation von Nora Namentlich");
  // The choices are names and towns, not internal short names.
  await expect(page.locator('#akteure-liste option[value="Universität Heidelberg (Heidelberg)"]')).toHaveCount(1);
  await expect(page.locator('#akteure-liste option[value="universitaet-heidelberg"]')).toHaveCount(0);
  await field.fill("Universität Heidelberg (Heidelberg)");
  // The reload must not cut the assignment short.
  const assigned = page.waitForResponse((response) => response.url().endsWith("/api/admin/organisation"));
  await page.getByRole("row", { name: /Nora Namentlich/ }).getByRole("button", { name: "Zuordnen" }).click();
  expect((await assigned).ok()).toBe(true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Organisation von Nora Namentlich")).toHaveValue("Universität Heidelberg (Heidelberg)");
  await expect(page.getByText("Diesen Akteur gibt es nicht.")).toHaveCount(0);
});

test("a connection's partner is chosen by name in the actor editor", async ({ page }) => {
  await page.goto("/akteure/dhbw-mosbach/bearbeiten");
  await hydrated(page);
  await page.getByLabel("Partner (Name oder Ort eintippen und auswählen)").fill("Universität Heidelberg (Heidelberg)");
  await page.locator("#verbindung-neu-art").selectOption("mentoring");
  await page.locator("#verbindung-neu-beginn").fill("2026-03-01");
  await page.getByRole("button", { name: "Verbindung hinzufügen" }).click();
  await expect(page.locator(".connection-list li", { hasText: "Universität Heidelberg" }).filter({ hasText: "Mentoring" })).toHaveCount(1);
});

test("the event form reports every problem at once, each next to its field", async ({ page }) => {
  await page.goto("/veranstaltungen/neu");
  await hydrated(page);
  await page.getByLabel("Titel").fill("Zu früh zu Ende");
  await page.getByLabel("Veranstaltungsort").fill("Rathaus");
  await page.getByLabel("Ort", { exact: true }).fill("Sinsheim");
  await page.getByLabel("Beginn", { exact: true }).fill("2030-05-04T18:00");
  await page.getByLabel("Ende", { exact: true }).fill("2030-05-04T17:00");
  await page.getByLabel("Anmeldung ab (Tag)").fill("2030-05-01");
  await page.getByLabel("Anmeldung bis (Tag)").fill("2030-04-01");
  // Number fields carry the limits the server checks.
  await expect(page.getByLabel("Plätze je Tisch")).toHaveAttribute("min", "2");
  await expect(page.getByLabel("Plätze je Tisch")).toHaveAttribute("max", "12");
  await page.getByRole("button", { name: "Veranstaltung speichern" }).click();
  await expect(page.locator("#feld-ends_at-fehler")).toBeVisible();
  await expect(page.locator("#feld-registration_closes-fehler")).toBeVisible();
  await expect(page.getByLabel("Ende", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Anmeldung bis (Tag)")).toHaveAttribute("aria-invalid", "true");
});

test("the event form takes the room's tables as groups and the organiser's pairing rules", async ({ page }) => {
  await page.goto("/veranstaltungen/neu");
  await hydrated(page);
  await page.getByLabel("Titel").fill(`Raum und Regeln ${Date.now()}`);
  await page.getByLabel("Veranstaltungsort").fill("Stadthalle");
  await page.getByLabel("Ort", { exact: true }).fill("Sinsheim");
  await page.getByLabel("Beginn", { exact: true }).fill("2030-06-04T17:00");
  await page.getByLabel("Ende", { exact: true }).fill("2030-06-04T21:00");
  const groups = page.locator("fieldset.table-group");
  await expect(groups).toHaveCount(1);
  const fillGroup = async (n: number, label: string, count: string, seats: string, area: string) => {
    const group = groups.nth(n);
    await expect(group.locator("legend")).toHaveText(`Tischgruppe ${n + 1}`);
    await group.getByLabel("Bezeichnung (optional)").fill(label);
    await group.getByLabel("Anzahl Tische").fill(count);
    await group.getByLabel("Plätze je Tisch").fill(seats);
    await group.getByLabel("Bereich (optional)").fill(area);
  };
  await fillGroup(0, "", "20", "2", "Halle A");
  await page.getByRole("button", { name: "Weitere Tischgruppe" }).click();
  await fillGroup(1, "Lounge", "5", "4", "Halle B");
  // A third group, removed again: the others keep what was typed.
  await page.getByRole("button", { name: "Weitere Tischgruppe" }).click();
  await expect(groups).toHaveCount(3);
  await page.getByRole("button", { name: "Tischgruppe 3 entfernen" }).click();
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(1).getByLabel("Bezeichnung (optional)")).toHaveValue("Lounge");
  await page.getByLabel("Gemeinsame Themen zählen").selectOption("200");
  await page.getByLabel("Personen derselben Organisation nie zusammensetzen").uncheck();
  await page.getByLabel("Reihe (optional)").fill("Innovationsfrühstück");
  await page.getByLabel("Wer sich bei einer früheren Veranstaltung dieser Reihe getroffen hat").check();
  await expect(page.getByLabel("Mittelstand × Startup")).toHaveValue("40");
  await page.getByLabel("Startup × Hochschule/Forschung").fill("50");
  await page.getByRole("button", { name: "Veranstaltung speichern" }).click();
  await expect(page).toHaveURL(/\/veranstaltungen\/raum-und-regeln-/);

  await page.goto(`${new URL(page.url()).pathname}/bearbeiten`);
  await hydrated(page);
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0).getByLabel("Bezeichnung (optional)")).toHaveValue("");
  await expect(groups.nth(0).getByLabel("Bereich (optional)")).toHaveValue("Halle A");
  await expect(groups.nth(1).getByLabel("Anzahl Tische")).toHaveValue("5");
  await expect(groups.nth(1).getByLabel("Plätze je Tisch")).toHaveValue("4");
  await expect(page.getByLabel("Gemeinsame Themen zählen")).toHaveValue("200");
  await expect(page.getByLabel("Personen derselben Organisation nie zusammensetzen")).not.toBeChecked();
  await expect(page.getByLabel("Reihe (optional)")).toHaveValue("Innovationsfrühstück");
  await expect(page.getByLabel("Startup × Hochschule/Forschung")).toHaveValue("50");

  // A group without seats is refused next to the list, naming the group.
  await groups.nth(1).getByLabel("Plätze je Tisch").fill("");
  await page.getByRole("button", { name: "Veranstaltung speichern" }).click();
  await expect(page.locator("#feld-tables-fehler")).toContainText("Tischgruppe 2");
  expect(await seriousA11yViolations(page)).toEqual([]);
});

for (const width of [1366, 390]) {
  test(`the story editor is a calm form at ${width} px: fields full width, upload and preview apart, a counter on long texts`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/fallstudien/neu");
    await hydrated(page);
    await page.getByLabel("Titel").fill(`Editor bei ${width} px`);
    await page.getByLabel("Partner 1").selectOption({ index: 1 });
    await page.getByLabel("Partner 2").selectOption({ index: 2 });
    await page.getByRole("button", { name: "Anlegen und bearbeiten" }).click();
    await expect(page).toHaveURL(/\/bearbeiten$/);
    await hydrated(page);
    const title = page.getByLabel("Titel");
    const upload = page.locator("form.upload");
    const preview = page.locator(".editor__preview");
    const [titleBox, uploadBox, previewBox] = [await title.boundingBox(), await upload.boundingBox(), await preview.boundingBox()];
    const overlaps = (a: typeof titleBox, b: typeof titleBox) =>
      !!a && !!b && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlaps(titleBox, uploadBox), "upload over the title").toBe(false);
    expect(overlaps(titleBox, previewBox), "preview over the title").toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.getByLabel("Kurzfassung").fill("Kurz und gut.");
    await expect(page.getByText("13 / 400 Zeichen")).toBeVisible();
    await expect(page.getByLabel("Kurzfassung")).toHaveAttribute("maxlength", "400");
    await page.getByRole("button", { name: "Speichern" }).click();
    await expect(page.getByText(/Gespeichert \(Version \d+\)/)).toBeVisible();
  });
}

test("an actor is placed by its town or a click on the map, and swapped coordinates are refused", async ({ page }) => {
  await page.goto("/akteure/neu");
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill("Ortstest GmbH");
  await page.getByLabel("Ort", { exact: true }).fill("Sinsheim");
  await page.getByRole("button", { name: "Lage des Orts übernehmen" }).click();
  await expect(page.getByText("Lage von Sinsheim übernommen")).toBeVisible();
  const lat = Number((await page.locator("#feld-lat").inputValue()).replace(",", "."));
  const lon = Number((await page.locator("#feld-lon").inputValue()).replace(",", "."));
  expect(lat).toBeGreaterThan(49.1);
  expect(lat).toBeLessThan(49.4);
  expect(lon).toBeGreaterThan(8.7);
  expect(lon).toBeLessThan(9.0);

  const picker = page.getByRole("region", { name: "Karte zum Festlegen der Lage" });
  const box = (await picker.boundingBox())!;
  await page.mouse.click(box.x + box.width / 3, box.y + box.height / 3);
  await expect(page.getByText(/^Lage übernommen: /)).toBeVisible();
  expect(await page.locator("#feld-lat").inputValue()).not.toBe(String(lat));

  await page.locator("#feld-lat").fill("8,88");
  await page.locator("#feld-lon").fill("49,25");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.locator("#feld-lat-fehler")).toContainText("vertauscht");
});

test("a must-meet pair is seated when the odd one out could be either of them", async ({ page }) => {
  const slug = await openEvent(page.request, { title: "Fünf im Raum", rounds: "3", tables: "5", seats: "2", odd_sits_out: "on" });
  const tokens: string[] = [];
  for (const [n, kind] of ["mittelstand", "startup", "mittelstand", "startup", "forschung"].entries()) {
    const answer = await call(page.request, "veranstaltung/anmelden", {
      slug,
      form_token: await formToken(page.request, slug),
      "registration[person_name]": `Person ${n}`,
      "registration[email]": `fuenf${n}-${Date.now()}@example.de`,
      "registration[organisation]": `Firma ${n}`,
      "registration[kind]": kind,
      "registration[offers]": "Sensorik",
      "registration[seeks]": "Fertigung",
      "registration[consent]": "on",
    });
    tokens.push(String(answer).split("/").pop()!);
  }
  const desk = await read(page.request, "veranstaltung/einlass", { slug, search: "" });
  const idOf = (name: string) => String(desk.entries.find((e: { person_name: string }) => e.person_name === name).id);
  for (const entry of desk.entries) {
    await call(page.request, "veranstaltung/einlass/buchen", { slug, id: String(entry.id), present: "true" });
  }
  // The first registered (whose turn it would be to sit out) must meet the second.
  await call(page.request, "veranstaltung/wunsch", { slug, token: tokens[0], other: idOf("Person 1"), wish: "muss" });
  await call(page.request, "veranstaltung/status", { slug, status: "live" });

  await page.goto(`/veranstaltungen/${slug}/konsole`);
  await hydrated(page);
  await page.getByRole("button", { name: "Nächste Runde planen" }).click();
  await expect(page.getByRole("row", { name: /Person 0.*Person 1|Person 1.*Person 0/ })).toBeVisible();
  const console_ = await read(page.request, "veranstaltung/konsole", { slug });
  const round = console_.rounds[0];
  const pair = round.tables.find((t: { people: { person_name: string }[] }) => t.people.some((p) => p.person_name === "Person 0"));
  expect(pair.people.map((p: { person_name: string }) => p.person_name).sort()).toEqual(["Person 0", "Person 1"]);
  expect(round.resting).toHaveLength(1);
});
