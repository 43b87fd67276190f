// First-visit transfer and Lighthouse's mobile audit of the phone's pages (see phone-weight.sh).
// Usage: node scripts/weight/weight.mjs http://127.0.0.1:3410 admin@… password work-dir
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Client, eventForm, person } from "../load/common.mjs";

const require = createRequire(import.meta.url);
const { chromium } = require("../../end2end/node_modules/@playwright/test");
const [base, email, password, dir] = process.argv.slice(2);
const PEOPLE = 300;
const BUDGET = 300 * 1024;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"];

function must(what, reply) {
  if (reply.status >= 400) throw new Error(`${what}: ${reply.status} ${reply.body.slice(0, 200)}`);
  return reply;
}

// An evening in its first round: 300 walk-ups checked in at the desk, the round planned and running.
const orga = new Client(base);
must("login", await orga.post("/api/konto/anmelden", { email, password }));
const today = new Date().toISOString().slice(0, 10);
const slug = JSON.parse(
  must(
    "event",
    await orga.post(
      "/api/veranstaltung/speichern",
      eventForm({ title: "Kickoff Kraichgau", day: today, starts: "00:00", ends: "23:59", rounds: 6, tables: 150 }),
    ),
  ).body,
);
must("open", await orga.post("/api/veranstaltung/status", { slug, status: "open" }));
const tokens = [];
for (let n = 0; n < PEOPLE; n++) {
  const reply = must(
    "walk-up",
    await orga.post("/api/veranstaltung/einlass/anmelden", { slug, ...person(n) }),
  );
  tokens.push(JSON.parse(reply.body));
}
must("live", await orga.post("/api/veranstaltung/status", { slug, status: "live" }));
must("plan", await orga.post("/api/veranstaltung/runde/planen", { slug, again: "false" }));
must("start", await orga.post("/api/veranstaltung/runde/uhr", { slug, command: "start" }));

const pages = [
  { name: "personal page", path: `/veranstaltungen/${slug}/ich/${tokens[0]}` },
  { name: "actor map", path: "/karte" },
];

// Every response of a first visit in a fresh profile at phone size, as sent (compressed), until
// the page is hydrated and the network has been quiet.
async function transfer(browser, path) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: "de-DE",
  });
  const page = await context.newPage();
  const pending = [];
  page.on("requestfinished", (request) => {
    pending.push(
      (async () => {
        const sizes = await request.sizes().catch(() => null);
        const response = await request.response().catch(() => null);
        if (!sizes || !response) return null;
        return {
          url: request.url().replace(base, ""),
          type: request.resourceType(),
          encoding: (await response.allHeaders())["content-encoding"] ?? "",
          bytes: sizes.responseBodySize + sizes.responseHeadersSize,
        };
      })(),
    );
  });
  await page.goto(base + path, { waitUntil: "load" });
  await page.waitForSelector("body[data-hydrated=true]", { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  // Every response's sizes are read before the profile closes.
  const files = (await Promise.all(pending)).filter(Boolean);
  await context.close();
  return files;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
const results = [];
for (const { name, path } of pages) {
  const files = await transfer(browser, path);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  const byType = {};
  for (const f of files) byType[f.type] = (byType[f.type] ?? 0) + f.bytes;
  console.log(`== ${name} (${path}): first visit ${kb(total)} in ${files.length} responses`);
  console.log(`   by type: ${Object.entries(byType).map(([t, b]) => `${t} ${kb(b)}`).join(", ")}`);
  for (const f of files.sort((a, b) => b.bytes - a.bytes)) {
    console.log(`   ${kb(f.bytes).padStart(10)}  ${f.encoding.padEnd(4)} ${f.type.padEnd(10)} ${f.url.slice(0, 90)}`);
  }
  results.push({ name, path, total });
}
await browser.close();

// Lighthouse's default: a mid-range phone on slow 4G (simulated), so the scores compare.
const lighthouse = new URL("node_modules/lighthouse/cli/index.js", import.meta.url).pathname;
for (const result of results) {
  const out = `${dir}/lighthouse-${result.name.replace(/\W+/g, "-")}.json`;
  execFileSync(process.execPath, [
    lighthouse,
    base + result.path,
    "--quiet",
    "--output=json",
    `--output-path=${out}`,
    "--only-categories=performance,accessibility",
    `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(" ")}`,
  ]);
  const report = JSON.parse(readFileSync(out, "utf8"));
  const audit = (id) => report.audits[id]?.displayValue ?? "–";
  result.performance = report.categories.performance.score;
  result.accessibility = report.categories.accessibility.score;
  console.log(
    `== Lighthouse mobile, ${result.name}: performance ${result.performance}, accessibility ${result.accessibility}` +
      ` (FCP ${audit("first-contentful-paint")}, LCP ${audit("largest-contentful-paint")},` +
      ` TBT ${audit("total-blocking-time")}, CLS ${audit("cumulative-layout-shift")}, SI ${audit("speed-index")},` +
      ` weight ${audit("total-byte-weight")})`,
  );
  for (const [id, a] of Object.entries(report.audits)) {
    const inA11y = report.categories.accessibility.auditRefs.some((ref) => ref.id === id && ref.weight > 0);
    if (inA11y && a.score !== null && a.score < 1) console.log(`   accessibility: ${id}: ${a.title}`);
  }
}
const personal = results[0];
console.log(
  `personal page: ${kb(personal.total)} of the ${kb(BUDGET)} budget; Lighthouse performance ${personal.performance}, accessibility ${personal.accessibility}`,
);
