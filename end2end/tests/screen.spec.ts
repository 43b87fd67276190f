import { test, expect, BrowserContext, Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ADMIN, Server, call, hydrated, login } from "./helpers";

// The projector for a real room: 300 and 2,000 people checked in (a synthetic event from
// `tandem generate-event` on a server of its own), round 1 planned, a 1920×1080 screen. Every
// text is at least 28 px, no name or table is cut off, the pages turn by themselves and show
// their position and letters, and together they list everyone once.

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
  });
}
