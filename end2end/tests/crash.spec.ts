import { test, expect, APIRequestContext, BrowserContext, Page } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ADMIN, Server, call, formToken, hydrated, login, openEvent, read } from "./helpers";

// Crash safety: the server dies by `kill -9` in the middle of a running round and is started
// again on the same port and database. Everything it acknowledged before is still there, and
// the console, the projector and a phone are live again within 5 s, without a reload.
// Runs on a fresh SQLite file, and on a fresh PostgreSQL database when TANDEM_E2E_POSTGRES
// names a server (`postgres://user@host:port/postgres`, as scripts/test.sh starts one).

/** How soon after the restart (the first healthy /healthz) every screen must be live again. */
const RECONNECT_MS = 5_000;
/** How long the server stays dead: long enough that the screens have backed off several times,
 * and they must still be back within 5 s of the restart. */
const DOWNTIME_MS = 8_000;
const KINDS = ["mittelstand", "startup", "forschung"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database on the PostgreSQL server `server`; dropped again by `drop`. */
function postgresDatabase(server: string) {
  const name = `tandem_crash_${process.pid}_${Date.now()}`;
  const psql = (sql: string) => {
    const result = spawnSync("psql", [server, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { encoding: "utf8" });
    expect(result.status, result.error?.message ?? result.stderr).toBe(0);
  };
  psql(`CREATE DATABASE ${name}`);
  return {
    url: `${server.slice(0, server.lastIndexOf("/"))}/${name}`,
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

function registration(n: number, name: string) {
  return {
    "registration[person_name]": name,
    "registration[email]": `crash${n}@example.de`,
    "registration[organisation]": `Organisation ${n}`,
    "registration[kind]": KINDS[n % 3],
    "registration[offers]": n % 2 ? "Sensorik, Prototypen" : "Fertigung, Prüfstände",
    "registration[seeks]": n % 2 ? "Fertigung" : "Sensorik",
    "registration[consent]": "on",
  };
}

type Person = { name: string; token: string; id: string };

/** Everything the server acknowledged, as its APIs answer it. */
async function snapshot(request: APIRequestContext, slug: string, people: Person[]) {
  const console_ = await read(request, "veranstaltung/konsole", { slug });
  const at = Date.now();
  const desk = await read(request, "veranstaltung/einlass", { slug, search: "" });
  const screen = await read(request, "veranstaltung/leinwand", { slug });
  const report = await read(request, "veranstaltung/bericht", { slug });
  const mine: Record<string, unknown> = {};
  for (const person of people) {
    const mineNow = await read(request, "veranstaltung/ich", { slug, token: person.token });
    const meetings = await read(request, "veranstaltung/ich/runden", { slug, token: person.token });
    mine[person.name] = { checked_in: mineNow.checked_in, meetings };
  }
  return {
    /** When the console's clock was read. */
    at,
    present: (desk.entries as { id: number; present: boolean }[]).filter((e) => e.present).map((e) => String(e.id)),
    live: console_.live,
    rounds: console_.rounds,
    screenRound: screen.round,
    ratings: report.ratings as number,
    mine,
  };
}

function crashSuite(backend: "SQLite" | "PostgreSQL", port: number, postgres?: string) {
  test.describe.serial(`kill -9 mid-round on ${backend}`, () => {
    const origin = `http://127.0.0.1:${port}`;
    let dir: string | undefined;
    let dropDatabase: (() => void) | undefined;
    let server: Server | undefined;
    let organiser: BrowserContext | undefined;
    let phoneContext: BrowserContext | undefined;
    let console_: Page;
    let projector: Page;
    let phone: Page;
    let slug = "";
    let seated: Person;
    let place = "";
    const people: Person[] = [];
    /** Registered, checked in only around the kill. */
    const latecomers: Person[] = [];
    let before: Awaited<ReturnType<typeof snapshot>>;
    const acknowledged: string[] = [];
    const screens = () => [
      ["console", console_],
      ["projector", projector],
      ["phone", phone],
    ] as const;

    test.use({ baseURL: origin });

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(180_000);
      dir = mkdtempSync(path.join(tmpdir(), "tandem-crash-"));
      let url = `sqlite://${dir}/crash.db`;
      if (postgres) {
        const database = postgresDatabase(postgres);
        dropDatabase = database.drop;
        url = database.url;
      }
      server = new Server(port, {
        ...process.env,
        DATABASE_URL: url,
        TANDEM_TILE_URL: "off",
        TANDEM_ADMIN_PASSWORD: ADMIN.password,
      });
      server.prepare();
      await server.start();
      organiser = await browser.newContext({ baseURL: origin, locale: "de-DE" });
      phoneContext = await browser.newContext({ baseURL: origin, locale: "de-DE", viewport: { width: 390, height: 844 } });
    });

    test.afterAll(async () => {
      await organiser?.close();
      await phoneContext?.close();
      await server?.stop("SIGKILL");
      dropDatabase?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test("a live event: people checked in, round 1 rated, round 2 running on the console, the projector and a phone", async () => {
      test.setTimeout(180_000);
      console_ = await organiser!.newPage();
      await login(console_, ADMIN.email, ADMIN.password);
      await expect(console_).toHaveURL(/\/konto$/);
      const request = console_.request;
      slug = await openEvent(request, { title: `Absturztest ${backend}`, round_minutes: "10", rounds: "3", tables: "4", seats: "3" });

      // Seven register through the public link (each form with the token its page carries), one
      // walks up at the door and is checked in with the registration.
      const tokens: [string, string][] = [];
      for (let n = 0; n < 7; n++) {
        const name = n < 5 ? `Person ${n}` : `Spät ${n}`;
        const answer = await call(request, "veranstaltung/anmelden", {
          slug,
          form_token: await formToken(request, slug),
          ...registration(n, name),
        });
        tokens.push([name, String(answer).split("/").pop()!]);
      }
      const door = await call(request, "veranstaltung/einlass/anmelden", { slug, ...registration(7, "Tür 7") });
      tokens.push(["Tür 7", String(door)]);
      const desk = await read(request, "veranstaltung/einlass", { slug, search: "" });
      for (const [name, token] of tokens) {
        const entry = desk.entries.find((e: { person_name: string }) => e.person_name === name);
        const person = { name, token, id: String(entry.id) };
        (name.startsWith("Spät") ? latecomers : people).push(person);
      }
      for (const person of people.filter((p) => !p.name.startsWith("Tür"))) {
        await call(request, "veranstaltung/einlass/buchen", { slug, id: person.id, present: "true" });
      }
      await call(request, "veranstaltung/status", { slug, status: "live" });

      // Round 1 is held; both people of one of its meetings rate it.
      expect(await call(request, "veranstaltung/runde/planen", { slug, again: "false" })).toBe(1);
      await call(request, "veranstaltung/runde/uhr", { slug, command: "start" });
      await call(request, "veranstaltung/runde/uhr", { slug, command: "ende" });
      let rated = 0;
      for (const person of people) {
        const meeting = (await read(request, "veranstaltung/ich/runden", { slug, token: person.token }))[0];
        if (meeting?.round !== 1 || meeting.meeting_id === null) continue;
        const partners = new Set(meeting.partners.map((p: { id: number }) => String(p.id)));
        for (const rater of [person, ...people.filter((p) => partners.has(p.id))]) {
          await call(request, "veranstaltung/rueckmeldung", {
            slug,
            token: rater.token,
            meeting: String(meeting.meeting_id),
            rating: rater === person ? "4" : "2",
            ...(rater === person ? { follow_up: "on" } : {}),
          });
          rated += 1;
        }
        break;
      }
      expect(rated).toBeGreaterThanOrEqual(2);

      // Round 2 runs.
      expect(await call(request, "veranstaltung/runde/planen", { slug, again: "false" })).toBe(2);
      await call(request, "veranstaltung/runde/uhr", { slug, command: "start" });
      for (const person of people) {
        const meeting = (await read(request, "veranstaltung/ich/runden", { slug, token: person.token }))[0];
        if (meeting?.round === 2 && meeting.table !== null) {
          seated = person;
          place = `Runde 2 · ${meeting.table.name}`;
          break;
        }
      }
      expect(place, "someone has a table in round 2").not.toBe("");

      // The console, the projector (same organiser) and the phone of someone at a table.
      await console_.goto(`/veranstaltungen/${slug}/konsole`);
      await hydrated(console_);
      projector = await organiser!.newPage();
      await projector.goto(`/veranstaltungen/${slug}/leinwand`);
      await hydrated(projector);
      phone = await phoneContext!.newPage();
      await phone.goto(`/veranstaltungen/${slug}/ich/${seated.token}`);
      await hydrated(phone);
      for (const [, screen] of screens()) {
        await expect(screen.locator(".live-status")).toHaveText("Live verbunden");
        await expect(screen.locator(".countdown-phase")).toHaveText("Runde 2 · läuft");
        // Gone after a reload: shows that the screens come back by themselves.
        await screen.evaluate(() => Object.assign(window, { tandemNotReloaded: true }));
      }
      await expect(phone.locator(".my-meeting__place")).toHaveText(place);
    });

    test("kill -9 mid-round: the screens notice, and are live again within 5 s of the restart without a reload", async () => {
      test.setTimeout(120_000);
      const request = console_.request;
      before = await snapshot(request, slug, people);
      expect(before.live.round).toMatchObject({ number: 2, phase: "Running" });
      expect(before.ratings).toBeGreaterThanOrEqual(2);

      // One latecomer is checked in and acknowledged just before the kill, the other one's
      // check-in is on its way when the server dies: it counts only if it was answered.
      await call(request, "veranstaltung/einlass/buchen", { slug, id: latecomers[0].id, present: "true" });
      acknowledged.push(latecomers[0].id);
      const inFlight = request
        .post("/api/veranstaltung/einlass/buchen", {
          form: { slug, id: latecomers[1].id, present: "true" },
          maxRedirects: 0,
        })
        .then(
          (response) => (response.ok() ? [latecomers[1].id] : []),
          () => [],
        );
      await server!.stop("SIGKILL");
      acknowledged.push(...(await inFlight));
      test.info().annotations.push({
        type: "in flight at the kill",
        description: acknowledged.includes(latecomers[1].id) ? "acknowledged" : "not acknowledged",
      });

      // Each screen notices. (A screen whose refetch after the last announcement failed shows an
      // error notice instead of its live status until it reconnects: either way, not "live".)
      for (const [name, screen] of screens()) {
        await expect(screen.getByText("Live verbunden", { exact: true }), `${name} noticed`).toHaveCount(0);
      }
      await sleep(DOWNTIME_MS);
      await server!.start();
      const restartedAt = Date.now();
      const reconnected = await Promise.all(
        screens().map(async ([name, screen]) => {
          await expect(screen.locator(".live-status"), `${name} live again`).toHaveText("Live verbunden", {
            timeout: RECONNECT_MS,
          });
          return `${name} ${Date.now() - restartedAt} ms`;
        }),
      );
      test.info().annotations.push({ type: "live again after the restart", description: reconnected.join(", ") });
      console.log(`${backend}: live again after the restart: ${reconnected.join(", ")}`);
      for (const [name, screen] of screens()) {
        await expect(screen.locator(".countdown-phase"), name).toHaveText("Runde 2 · läuft");
        await expect(screen.getByRole("timer"), name).toHaveText(/^\d+:\d\d$/);
        expect(await screen.evaluate(() => "tandemNotReloaded" in window), `${name} not reloaded`).toBe(true);
      }
      await expect(phone.locator(".my-meeting__place")).toHaveText(place);
    });

    test("every check-in, seat and rating acknowledged before the kill is still there", async () => {
      const after = await snapshot(console_.request, slug, people);
      // Check-ins: everyone who was in, and every acknowledged latecomer; nobody else.
      for (const id of [...before.present, ...acknowledged]) expect(after.present).toContain(id);
      const known = new Set([...before.present, ...latecomers.map((p) => p.id)]);
      for (const id of after.present) expect(known.has(id), `${id} was registered`).toBe(true);
      // Seats: every round's tables and rests, the projector's places and each person's page.
      expect(after.rounds).toEqual(before.rounds);
      expect(after.screenRound).toEqual(before.screenRound);
      expect(after.mine).toEqual(before.mine);
      // Ratings, in the report and on each person's page (feedback is part of `meetings`).
      expect(after.ratings).toBe(before.ratings);
      // The round still runs, and its clock ran on through the crash instead of starting over.
      expect(after.live.round).toMatchObject({ number: 2, phase: "Running" });
      const elapsed = Math.round((after.at - before.at) / 1000);
      expect(Math.abs(after.live.round.remaining_secs - (before.live.round.remaining_secs - elapsed))).toBeLessThanOrEqual(2);
      for (const id of acknowledged) {
        const person = latecomers.find((p) => p.id === id)!;
        expect((await read(console_.request, "veranstaltung/ich", { slug, token: person.token })).checked_in).toBe(true);
      }
    });

    test("after the restart the console's next step reaches every screen without a reload", async () => {
      await call(console_.request, "veranstaltung/runde/uhr", { slug, command: "pause" });
      for (const [name, screen] of screens()) {
        await expect(screen.locator(".countdown-phase"), name).toHaveText("Runde 2 · pausiert");
        expect(await screen.evaluate(() => "tandemNotReloaded" in window), `${name} not reloaded`).toBe(true);
      }
    });
  });
}

crashSuite("SQLite", 3107);
const postgres = process.env.TANDEM_E2E_POSTGRES;
if (postgres) {
  crashSuite("PostgreSQL", 3108, postgres);
} else {
  test.skip("kill -9 mid-round on PostgreSQL (set TANDEM_E2E_POSTGRES=postgres://…/postgres)", () => {});
}
