import { test, expect, Page } from "@playwright/test";
import { hydrated } from "./helpers";

/** Waits until the renderer has drawn the map data and returns how many actors it shows. */
async function drawnActors(page: Page): Promise<number> {
  const map = page.locator(".map[data-state=ready]");
  await expect(map).toHaveCount(1, { timeout: 20_000 });
  return Number(await map.getAttribute("data-actors"));
}

test("a filter reduces the dots and is kept in the URL", async ({ page }) => {
  await page.goto("/karte");
  await hydrated(page);
  await expect(page.locator(".map")).toHaveAttribute("data-actors", "144", { timeout: 20_000 });
  await page.getByRole("checkbox", { name: "Startup" }).check();
  await page.getByRole("button", { name: "Filter anwenden" }).click();
  await expect(page).toHaveURL(/\/karte\?art=startup$/);
  await expect(page.locator(".map")).not.toHaveAttribute("data-actors", "144");
  const startups = await drawnActors(page);
  expect(startups).toBeGreaterThan(0);
  expect(startups).toBeLessThan(144);
  await expect(page.getByTestId("map-counts")).toContainText(`${startups} Akteure`);

  // The shared link opens the same view.
  await page.goto(page.url());
  await hydrated(page);
  await expect(page.locator(".map")).toHaveAttribute("data-actors", String(startups), { timeout: 20_000 });
  await expect(page.getByRole("checkbox", { name: "Startup" })).toBeChecked();
});

test("clicking a dot opens the side panel with the profile", async ({ page }) => {
  await page.goto("/karte?q=heidelberg");
  await hydrated(page);
  await drawnActors(page);
  const slug = "universitaet-heidelberg";
  // Zoomed in far enough that the dot stands alone, then clicked where the renderer drew it.
  await page.evaluate((s) => (window as any).TandemMap.instances[0].focusOn(s), slug);
  const point = await page.evaluate((s) => (window as any).TandemMap.instances[0].pointOf(s), slug);
  const box = (await page.locator(".map").boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
  await expect(page).toHaveURL(/akteur=universitaet-heidelberg/);
  const panel = page.getByRole("complementary", { name: "Ausgewählter Akteur" });
  await expect(panel.getByRole("heading", { name: "Universität Heidelberg" })).toBeVisible();
  await expect(panel.getByRole("link", { name: "Zur Profilseite" })).toHaveAttribute("href", "/akteure/universitaet-heidelberg");
  await expect(panel.getByText("Verbindungen")).toBeVisible();
});

test("the list offers the same actors to keyboard users", async ({ page }) => {
  await page.goto("/karte?art=forschung");
  await hydrated(page);
  const link = page.getByRole("link", { name: "Universität Heidelberg", exact: true });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("complementary", { name: "Ausgewählter Akteur" })).toBeVisible();
});

test("the time slider replays the growth and changes the counts", async ({ page }) => {
  await page.goto("/karte");
  await hydrated(page);
  const all = await drawnActors(page);
  const counts = page.getByTestId("growth-counts");
  const today = await counts.textContent();
  const slider = page.getByRole("slider", { name: "Zeitpunkt" });
  await slider.focus();
  await page.keyboard.press("Home");
  await expect(counts).not.toHaveText(today!);
  await expect(page.locator(".map")).not.toHaveAttribute("data-actors", String(all));
  expect(Number(await page.locator(".map").getAttribute("data-actors"))).toBeLessThan(all);
  await page.keyboard.press("End");
  await expect(counts).toHaveText(today!);
  await expect(page.locator(".map")).toHaveAttribute("data-actors", String(all));
});

test("the network view and the Lagebild work on the same data", async ({ page }) => {
  await page.goto("/karte/netzwerk?art=forschung");
  await hydrated(page);
  const research = await drawnActors(page);
  expect(research).toBeGreaterThan(0);
  expect(research).toBeLessThan(144);
  await page.getByRole("link", { name: "Lagebild" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lagebild des Netzwerks");
  await expect(page.getByRole("heading", { name: "Brückenbauer" })).toBeVisible();
  await expect(page.locator(".suggestions li").first()).toContainText("Warum:");
});

for (const path of ["/karte", "/karte/netzwerk"]) {
  test(`on a phone ${path} shows the map first, folds the filters and opens a tapped actor where one looks`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${path}?q=heidelberg`);
    await hydrated(page);
    await drawnActors(page);
    // The map starts within the first screen; the filters are folded, with the active count.
    const map = page.locator(".map");
    expect((await map.boundingBox())!.y).toBeLessThan(844);
    const filters = page.locator("details.filter-panel");
    await expect(filters).not.toHaveAttribute("open");
    await expect(filters.locator("summary")).toHaveText("Filter (1 aktiv)");
    await expect(page.getByLabel("Suche")).toBeHidden();

    const slug = "universitaet-heidelberg";
    await page.evaluate((s) => (window as any).TandemMap.instances[0].focusOn(s), slug);
    const point = await page.evaluate((s) => (window as any).TandemMap.instances[0].pointOf(s), slug);
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const panel = page.getByRole("complementary", { name: "Ausgewählter Akteur" });
    const heading = panel.getByRole("heading", { name: "Universität Heidelberg" });
    await expect(heading).toBeInViewport();
    await expect(panel).toBeFocused();

    // Closing brings the map back into view.
    await panel.getByRole("link", { name: "Auswahl schließen" }).click();
    await expect(panel).toHaveCount(0);
    await expect(map).toBeInViewport();

    // The folded filters open and work.
    await filters.locator("summary").click();
    await expect(page.getByLabel("Suche")).toBeVisible();
  });
}
