// Time until the map is interactive in headless Chromium: from navigation start until the page
// has hydrated and the renderer has drawn the map data (`.map[data-state=ready]`). Both moments
// are also reported on their own: the renderer starts before the WASM, so they overlap.
// Usage: node end2end/bench/map-interactive.mjs http://127.0.0.1:3300 [runs] [path]
import { chromium } from "@playwright/test";

const [base, runsArg = "5", path = "/karte"] = process.argv.slice(2);
const runs = Number(runsArg);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const times = [];
try {
  for (let run = 0; run < runs; run++) {
    // A fresh context each time: nothing cached, as for a first visit.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__moments = {};
      new MutationObserver(() => {
        const moments = window.__moments;
        if (!moments.hydrated && document.body?.dataset.hydrated === "true") moments.hydrated = performance.now();
        if (!moments.drawn && document.querySelector(".map[data-state=ready]")) moments.drawn = performance.now();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-hydrated", "data-state"] });
    });
    await page.goto(base + path, { waitUntil: "commit", timeout: 30_000 });
    await page.waitForSelector("body[data-hydrated=true] .map[data-state=ready]", { timeout: 30_000 });
    const { hydrated, drawn } = await page.evaluate(() => window.__moments);
    const elapsed = Math.max(hydrated, drawn);
    const actors = await page.locator(".map").getAttribute("data-actors");
    times.push(elapsed);
    console.log(
      `run ${run + 1}: interactive after ${elapsed.toFixed(0)} ms (hydrated ${hydrated.toFixed(0)} ms, ` +
        `${actors} actors drawn ${drawn.toFixed(0)} ms)`,
    );
    await context.close();
  }
} finally {
  await browser.close();
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, worst ${times[times.length - 1].toFixed(0)} ms over ${runs} runs`);
