import { test, expect, Page } from "@playwright/test";
import { ADMIN, acceptInvitation, call, formToken, hydrated, inviteAccount, login, openEvent, read, seriousA11yViolations } from "./helpers";

// Every route at laptop and phone width, as each role that uses it: no sideways scrolling, no form
// control hidden under another element, no serious or critical axe finding.

const WIDTHS = [
  { name: "laptop", width: 1366, height: 768 },
  { name: "phone", width: 390, height: 844 },
];

const EVENT = "kickoff-kraichgau-2025";
const STORY = "energiemonitoring-in-der-galvanik";
const ACTOR = "dhbw-mosbach";

/** Routes anyone may open; `{live}`, `{slots}` and `{token}` are filled in by the set-up. */
const PUBLIC = [
  "/",
  "/karte",
  "/karte?art=forschung&akteur=universitaet-heidelberg",
  "/karte/netzwerk",
  "/karte/lagebild",
  "/karte/vorschlagen?akteur=universitaet-heidelberg",
  "/einbetten/karte",
  "/akteure/universitaet-heidelberg",
  "/veranstaltungen",
  `/veranstaltungen/${EVENT}`,
  "/veranstaltungen/{live}",
  "/veranstaltungen/{live}/ich/{token}",
  "/veranstaltungen/{slots}/ich/{slotToken}",
  "/veranstaltungen/{live}/leinwand",
  "/fallstudien",
  `/fallstudien/${STORY}`,
  "/fallstudien/freigabe/unbekannt",
  "/playbook",
  "/anmelden",
  "/einladung/beispiel",
  "/gibt-es-nicht",
];

/** Routes behind a sign-in, by the least role that uses them (admins use all). */
const PARTICIPANT = ["/konto", "/mitteilungen"];
const PARTNER = [
  "/fallstudien/neu",
  `/fallstudien/${STORY}/bearbeiten`,
  `/fallstudien/${STORY}/versionen`,
  `/fallstudien/${STORY}/freigabe`,
  "/playbook/bearbeiten",
];
const ORGANIZER = [
  "/veranstaltungen/neu",
  `/veranstaltungen/${EVENT}/bearbeiten`,
  `/veranstaltungen/${EVENT}/einlass`,
  `/veranstaltungen/${EVENT}/konsole`,
  `/veranstaltungen/${EVENT}/tischplan`,
  `/veranstaltungen/${EVENT}/bericht`,
  "/veranstaltungen/{live}/konsole",
  "/veranstaltungen/{live}/einlass",
  "/veranstaltungen/{draft}/konsole",
  "/veranstaltungen/{slots}/konsole",
];
const ADMIN_ONLY = [
  "/admin",
  "/karte/import",
  "/karte/moderation",
  "/karte/begriffe",
  "/akteure/neu",
  `/akteure/${ACTOR}/bearbeiten`,
];

/** Pages without the site's header and footer: the embed and the projector. */
const CHROMELESS = /^\/einbetten\/|\/leinwand$/;

type Role = "participant" | "partner" | "organizer" | "admin";
const ROUTES: Record<Role, string[]> = {
  participant: PARTICIPANT,
  partner: [...PARTICIPANT, ...PARTNER],
  organizer: [...PARTICIPANT, ...ORGANIZER],
  admin: [...PARTICIPANT, ...PARTNER, ...ORGANIZER, ...ADMIN_ONLY],
};

const fill: Record<string, string> = {};
const credentials: Partial<Record<Role, { email: string; password: string }>> = { admin: ADMIN };

async function register(page: Page, slug: string, n: number) {
  const answer = await call(page.request, "veranstaltung/anmelden", {
    slug,
    form_token: await formToken(page.request, slug),
    "registration[person_name]": `Layout Person ${n}`,
    "registration[email]": `layout${n}-${Date.now()}@example.de`,
    "registration[organisation]": `Organisation ${n}`,
    "registration[kind]": n % 2 ? "startup" : "mittelstand",
    "registration[offers]": "Sensorik, Prototypen",
    "registration[seeks]": "Fertigung",
    "registration[consent]": "on",
  });
  return String(answer).split("/").pop()!;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await (await browser.newContext({ locale: "de-DE" })).newPage();
  await login(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/konto$/);
  fill.live = await openEvent(page.request, { title: "Layout live", rounds: "3", tables: "10", seats: "2" });
  fill.token = await register(page, fill.live, 1);
  await register(page, fill.live, 2);
  // The live event runs with its evening planned ahead: console, projector and phone show
  // the current round, the coming rounds and their locks.
  await call(page.request, "veranstaltung/status", { slug: fill.live, status: "live" });
  for (const entry of (await read(page.request, "veranstaltung/einlass", { slug: fill.live, search: "" })).entries) {
    await call(page.request, "veranstaltung/einlass/buchen", { slug: fill.live, id: String(entry.id), present: "true" });
  }
  expect(await call(page.request, "veranstaltung/abend/planen", { slug: fill.live })).toEqual([1, 2, 3]);
  fill.slots = await openEvent(page.request, { title: "Layout Termine", format: "termine", rounds: "4", tables: "10", seats: "2" });
  fill.slotToken = await register(page, fill.slots, 3);
  const draft = await call(page.request, "veranstaltung/speichern", {
    slug: "",
    "event[title]": "Layout Entwurf",
    "event[venue]": "Rathaus",
    "event[town]": "Sinsheim",
    "event[starts_at]": "2030-05-04T17:00",
    "event[ends_at]": "2030-05-04T20:00",
    "event[round_minutes]": "10",
    "event[rounds]": "3",
    "event[tables][0][count]": "5",
    "event[tables][0][seats]": "2",
  });
  fill.draft = String(draft).split("/")[2];
  for (const role of ["participant", "partner", "organizer"] as const) {
    const { email, link } = await inviteAccount(page, role, `Layout ${role}`);
    const password = `layout-${role}-passwort`;
    await (await acceptInvitation(browser, link, password)).context().close();
    credentials[role] = { email, password };
  }
  await page.context().close();
});

function resolve(route: string) {
  return route.replace(/\{(\w+)\}/g, (_, key) => fill[key]);
}

/** The problems of the page as laid out now. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      // Name the widest elements, so the report says what runs past the edge.
      const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
        .filter((el) => ![...el.children].some((child) => child.getBoundingClientRect().right > root.clientWidth + 1))
        .slice(0, 3)
        .map((el) => el.tagName.toLowerCase() + (el.className ? `.${String(el.className).split(" ").join(".")}` : ""));
      problems.push(`page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window (${wide.join(", ")})`);
    }
    const describe = (el: Element) => {
      const label = (el as HTMLInputElement).labels?.[0]?.textContent?.trim() || el.getAttribute("aria-label") || el.textContent?.trim() || (el as HTMLInputElement).name;
      return `${el.tagName.toLowerCase()} "${(label ?? "").slice(0, 40)}"`;
    };
    for (const el of document.querySelectorAll("input, select, textarea, button")) {
      const input = el as HTMLInputElement;
      if (input.type === "hidden" || el.closest(".honeypot, .visually-hidden, [hidden], .leaflet-control-container")) continue;
      // Not shown at all (e.g. in a closed panel) is not covered.
      if (!el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) continue;
      el.scrollIntoView({ block: "center", inline: "center" });
      const rect = el.getBoundingClientRect();
      if (rect.width < 4 || rect.height < 4) {
        // Shown, yet squeezed to nothing (a checkbox beside a long label in a narrow column).
        problems.push(`${describe(el)} is squeezed to ${Math.round(rect.width)}×${Math.round(rect.height)} px`);
        continue;
      }
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      if (x < 0 || x > root.clientWidth) {
        problems.push(`${describe(el)} lies outside the window`);
        continue;
      }
      const hit = document.elementFromPoint(x, y);
      if (!hit || hit === el || el.contains(hit)) continue;
      if (hit instanceof HTMLLabelElement && hit.control === el) continue;
      if (input.labels && [...input.labels].some((label) => label.contains(hit))) continue;
      problems.push(`${describe(el)} is covered by ${hit.tagName.toLowerCase()}${hit.className ? "." + String(hit.className).split(" ").join(".") : ""}`);
    }
    // A label or legend whose text runs out of its own box spills over its neighbours.
    for (const el of document.querySelectorAll("label, legend, summary")) {
      if (!el.checkVisibility() || el.closest(".honeypot, .visually-hidden")) continue;
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible") {
        problems.push(`${describe(el)} runs ${el.scrollWidth - el.clientWidth} px past its box`);
      }
    }
    window.scrollTo(0, 0);
    return problems;
  });
}

// LAYOUT_ROUTES=<regex> narrows the check to matching routes while one works on a page.
const only = process.env.LAYOUT_ROUTES ? new RegExp(process.env.LAYOUT_ROUTES) : undefined;

async function checkRoutes(page: Page, routes: string[]) {
  routes = routes.filter((route) => !only || only.test(route));
  const found: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width: width.width, height: width.height });
    for (const route of routes) {
      const path = resolve(route);
      const response = await page.goto(path);
      expect(response?.status(), path).toBeLessThan(500);
      await hydrated(page);
      // Maps and charts draw after hydration; let them settle before measuring.
      await page.waitForLoadState("networkidle");
      for (const landmark of ["main", "banner", "contentinfo"] as const) {
        if (landmark !== "main" && CHROMELESS.test(route)) continue;
        if ((await page.getByRole(landmark).count()) !== 1) found.push(`${width.name} ${route}: no single ${landmark} landmark`);
      }
      for (const problem of [...(await layoutProblems(page)), ...(await seriousA11yViolations(page)).map((v) => `axe ${v}`)]) {
        found.push(`${width.name} ${route}: ${problem}`);
      }
    }
  }
  expect(found).toEqual([]);
}

test("every public route lays out at laptop and phone width", async ({ page }) => {
  test.setTimeout(480_000);
  await checkRoutes(page, PUBLIC);
});

for (const role of ["participant", "partner", "organizer", "admin"] as Role[]) {
  test(`every route of a signed-in ${role} lays out at laptop and phone width`, async ({ page }) => {
    test.setTimeout(480_000);
    const { email, password } = credentials[role]!;
    await login(page, email, password);
    await expect(page).toHaveURL(/\/konto$/);
    await checkRoutes(page, ROUTES[role]);
  });
}
