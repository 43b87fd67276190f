import { test, expect, BrowserContext, Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ADMIN, Server, call, hydrated, login, read } from "./helpers";

// The projector for a real room: 300 and 2,000 people checked in (a synthetic event from
// `tandem generate-event` on a server of its own), round 1 planned, a 1920×1080 screen. Every
// text is at least 28 px, no name or table is cut off, the pages turn by themselves and show
// their position and letters, and together they list everyone once. With 300 people the
// organisers also plan the whole evening ahead, and a latecomer changes the coming rounds but not
// the running one.

const PORT = 3140;

/** What the projector shows now: its position line and every entry of the visible page. */
async function visiblePage(page: Page) {
  return page.evaluate(() => {
    const screen = document.querySelector(".screen")!.getBoundingClientRect();
    const columns = document.querySelector(".screen__columns")!.getBoundingClientRect();
    const entries = [...document.querySelectorAll(".screen__entry")].map((entry) => {
      const box = entry.getBoundingClientRect();
      const parts = [...entry.querySelectorAll("span")].map((span) => ({
        text: span.textContent ?? "",
        clipped: span.scrollWidth > span.clientWidth + 1 || span.scrollHeight > span.clientHeight + 1,
      }));
      return {
        name: parts[0].text,
        place: parts[1].text,
        inside: box.top >= columns.top - 1 && box.bottom <= columns.bottom + 1 && box.left >= 0 && box.right <= screen.right + 1,
        clipped: parts.some((part) => part.clipped),
      };
    });
    // Every element with its own text: none smaller than 28 px.
    const small: string[] = [];
    for (const element of document.querySelectorAll(".screen *")) {
      const own = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim());
      if (own && parseFloat(getComputedStyle(element).fontSize) < 28) small.push(`${element.className}: ${element.textContent}`);
    }
    return {
      position: document.querySelector(".screen__position")?.textContent ?? "",
      entries,
      small,
      overflow: document.documentElement.scrollWidth > window.innerWidth || document.documentElement.scrollHeight > window.innerHeight,
    };
  });
}

for (const people of [300, 2000]) {
  test.describe.serial(`the projector with ${people} people`, () => {
    const origin = `http://127.0.0.1:${PORT}`;
    let dir: string;
    let server: Server;
    let context: BrowserContext;
    let slug = "";

    test.use({ baseURL: origin });

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(180_000);
      dir = mkdtempSync(path.join(tmpdir(), "tandem-screen-"));
      server = new Server(PORT, {
        ...process.env,
        DATABASE_URL: `sqlite://${dir}/screen.db`,
        TANDEM_TILE_URL: "off",
        TANDEM_ADMIN_PASSWORD: ADMIN.password,
      });
      server.prepare();
      server.run("generate-event", "--people", String(people), "--seed", "7");
      slug = `synthetisch-${people}-7`;
      await server.start();
      context = await browser.newContext({ baseURL: origin, locale: "de-DE", viewport: { width: 1920, height: 1080 } });
    });

    test.afterAll(async () => {
      await context?.close();
      await server?.stop("SIGKILL");
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test(`pages through everyone readably at 1920×1080`, async () => {
      test.setTimeout(240_000);
      const page = await context.newPage();
      await login(page, ADMIN.email, ADMIN.password);
      await expect(page).toHaveURL(/\/konto$/);
      expect(await call(page.request, "veranstaltung/runde/planen", { slug, again: "false" })).toBe(1);

      await page.goto(`/veranstaltungen/${slug}/leinwand`);
      await hydrated(page);
      await expect(page.locator(".countdown")).toBeVisible();
      const first = await visiblePage(page);
      const total = Number(/von (\d+)/.exec(first.position)?.[1]);
      expect(total, first.position).toBeGreaterThan(people >= 2000 ? 30 : 5);
      await page.screenshot({ path: test.info().outputPath(`leinwand-${people}-seite-1.png`) });

      // Turn through every page by hand (paused), checking each, then let them turn by themselves.
      await page.getByRole("button", { name: "Blättern anhalten" }).click();
      const seen: string[] = [];
      let page1 = first;
      for (let n = 1; n <= total; n++) {
        const now = n === 1 ? page1 : await visiblePage(page);
        expect(now.position).toMatch(new RegExp(`^Seite ${n} von ${total} · `));
        expect(now.small, "text under 28 px").toEqual([]);
        expect(now.overflow, "the page scrolls").toBe(false);
        for (const entry of now.entries) {
          expect(entry.inside, `${entry.name} outside the screen`).toBe(true);
          expect(entry.clipped, `${entry.name} cut off`).toBe(false);
          expect(entry.place).toMatch(/^(Tisch \d+|Lounge \d|Pause)$/);
          seen.push(entry.name);
        }
        if (n === total) break;
        // The next page, as a presenter's remote turns it.
        await page.keyboard.press("ArrowRight");
        await expect(page.locator(".screen__position")).toContainText(`Seite ${n + 1} von`);
        page1 = await visiblePage(page);
      }
      expect(seen.length).toBe(people);
      const sorted = [...seen].sort((a, b) => a.localeCompare(b, "de", { sensitivity: "base" }));
      expect(seen.map((name) => name[0].normalize("NFD")[0].toUpperCase())).toEqual(sorted.map((name) => name[0].normalize("NFD")[0].toUpperCase()));
      await page.screenshot({ path: test.info().outputPath(`leinwand-${people}-letzte-seite.png`) });

      await page.getByRole("button", { name: "Weiterblättern" }).click();
      await expect(page.locator(".screen__position")).toContainText("Seite 1 von", { timeout: 10_000 });
      await expect(page.locator(".screen__position")).toContainText("Seite 2 von", { timeout: 10_000 });
    });

    if (people === 300) {
      test("the evening is planned ahead and follows a latecomer at the desk", async () => {
        test.setTimeout(120_000);
        const page = await context.newPage();
        // One person steps out before the evening is planned, and comes back later.
        const desk = await read(page.request, "veranstaltung/einlass", { slug, search: "" });
        const latecomer = desk.entries[0];
        await call(page.request, "veranstaltung/einlass/buchen", { slug, id: String(latecomer.id), present: "false" });

        await page.goto(`/veranstaltungen/${slug}/konsole`);
        await hydrated(page);
        await page.getByRole("button", { name: "Alle übrigen Runden vorausplanen" }).click();
        await expect(page.getByRole("heading", { name: "Kommende Runden" })).toBeVisible();
        await expect(page.locator(".coming-round")).toHaveCount(5);
        await expect(page.getByRole("button", { name: "Alle übrigen Runden vorausplanen" })).toHaveCount(0);
        await page.getByRole("button", { name: "Runde starten" }).click();
        await expect(page.getByRole("button", { name: "Runde beenden" })).toBeVisible();
        const before = await read(page.request, "veranstaltung/konsole", { slug });
        const placedIn = (console: any, number: number, id: number) => {
          const round = console.rounds.find((r: any) => r.number === number);
          return round.tables.some((t: any) => t.people.some((p: any) => p.id === id)) || round.resting.some((r: any) => r[0].id === id);
        };
        for (let number = 1; number <= 6; number++) expect(placedIn(before, number, latecomer.id)).toBe(false);

        // The latecomer checks in at the desk; a moment later the coming rounds include them.
        const door = await context.newPage();
        await door.goto(`/veranstaltungen/${slug}/einlass?suche=${encodeURIComponent(latecomer.person_name)}`);
        await hydrated(door);
        await door.getByRole("button", { name: `Einchecken: ${latecomer.person_name}` }).click();
        await expect.poll(async () => placedIn(await read(page.request, "veranstaltung/konsole", { slug }), 2, latecomer.id), { timeout: 20_000 }).toBe(true);
        const after = await read(page.request, "veranstaltung/konsole", { slug });
        const round = (console: any, number: number) => console.rounds.find((r: any) => r.number === number);
        expect(round(after, 1), "the running round stays as it is").toEqual(round(before, 1));
        expect(placedIn(after, 1, latecomer.id)).toBe(false);
        for (let number = 2; number <= 6; number++) expect(placedIn(after, number, latecomer.id)).toBe(true);
        // Nobody meets anyone twice across the evening.
        const met = new Set<string>();
        for (const r of after.rounds) {
          for (const table of r.tables) {
            const ids = table.people.map((p: any) => p.id).sort((a: number, b: number) => a - b);
            for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
              const pair = `${ids[i]}-${ids[j]}`;
              expect(met.has(pair), `${pair} twice`).toBe(false);
              met.add(pair);
            }
          }
        }

        // The console shows it without a reload: the next round, unfolded, lists the latecomer.
        const next = page.locator(".coming-round").first();
        await next.locator("summary").click();
        await expect(next).toContainText(latecomer.person_name, { timeout: 10_000 });
        await page.screenshot({ path: test.info().outputPath("konsole-abend.png"), fullPage: false });
      });
    }
  });
}
