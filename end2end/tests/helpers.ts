import { expect, Page, Browser, APIRequestContext } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import path from "node:path";

export const ADMIN = { email: "admin@tandem.test", password: "e2e-admin-passwort" };

/** Waits until the WASM bundle has hydrated the page. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1, { timeout: 20_000 });
}

export async function login(page: Page, email: string, password: string) {
  await page.goto("/anmelden");
  await hydrated(page);
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Passwort", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Anmelden" }).click();
}

let counter = 0;

/** The admin creates an account through the admin page; returns its email and invitation link. */
export async function inviteAccount(page: Page, role: string, name: string) {
  counter += 1;
  const email = `person-${Date.now()}-${counter}@example.de`;
  await page.goto("/admin");
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Rolle", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Anlegen" }).click();
  const link = await page.locator("code.invite-link").textContent();
  expect(link).toContain("/einladung/");
  return { email, link: link!.trim() };
}

/** Opens an invitation in a fresh browser context and sets a password; returns the signed-in page. */
export async function acceptInvitation(browser: Browser, link: string, password: string) {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(new URL(link).pathname);
  await hydrated(page);
  await page.getByLabel("Neues Passwort").fill(password);
  await page.getByRole("button", { name: "Passwort festlegen und anmelden" }).click();
  await expect(page).toHaveURL(/\/konto$/);
  return page;
}

/** The serious and critical axe findings of the page (WCAG 2.1 A and AA), one line each. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

export async function expectNoSeriousA11yViolations(page: Page) {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

const root = path.resolve(__dirname, "../..");
const binary = path.join(root, "target/debug/tandem");

/** A spec's own `tandem serve` on its own port and database, set up as serve.sh does, which the
 * spec may stop (SIGTERM), kill (`kill -9`) and start again. */
export class Server {
  private child: ChildProcess | undefined;
  private log = "";

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Runs a command of the binary (migrate, seed, create-admin) on this server's database. */
  run(...args: string[]) {
    const result = spawnSync(binary, args, { cwd: root, env: this.env, encoding: "utf8" });
    expect(result.status, result.error?.message ?? result.stderr).toBe(0);
  }

  /** A fresh database with the demo region and the admin of `ADMIN`. */
  prepare() {
    this.run("migrate");
    this.run("seed");
    this.run("create-admin", "--email", ADMIN.email, "--name", "Ada Admin");
  }

  /** Starts `tandem serve` and waits until /healthz answers 200. */
  async start() {
    const child = spawn(binary, ["serve", "--bind", `127.0.0.1:${this.port}`], {
      cwd: root,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("error", (error) => keep(Buffer.from(`${error}\n`)));
    this.child = child;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`tandem serve stopped (${child.exitCode ?? child.signalCode}):\n${this.log}`);
      }
      const status = await fetch(`${this.origin}/healthz`).then((r) => r.status).catch(() => 0);
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`no healthy /healthz within 60 s:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stops the server with `signal`: SIGTERM lets it shut down, SIGKILL is `kill -9`. */
  async stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM") {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }
}

/** Posts a server function's form; answers the path it redirects to, or its JSON. */
export async function call(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const response = await request.post(`/api/${endpoint}`, { form, maxRedirects: 0 });
  const body = await response.text();
  expect(response.status(), body).toBeLessThan(400);
  const location = response.headers()["location"];
  return location ? new URL(location, "http://localhost").pathname : JSON.parse(body);
}

/** A GET server function's JSON answer. */
export async function read(request: APIRequestContext, endpoint: string, query: Record<string, string>): Promise<any> {
  const response = await request.get(`/api/${endpoint}?${new URLSearchParams(query)}`);
  const body = await response.text();
  expect(response.status(), body).toBe(200);
  return JSON.parse(body);
}

/** The token the event page's registration form carries, as a browser that loaded it sends it. */
export async function formToken(request: APIRequestContext, slug: string): Promise<string> {
  const detail = await read(request, "veranstaltung", { slug });
  expect(detail.form_token, "an open event's page carries a form token").toBeTruthy();
  return detail.form_token;
}

/** Saves an event `daysAhead` days from now (17:00–21:00 in Eppingen unless `fields` say
 * otherwise; `{day}` in a value is that date), opens it for registration and answers its slug. */
export async function openEvent(request: APIRequestContext, fields: Record<string, string>, daysAhead = 1) {
  const day = new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
  const form: Record<string, string> = { slug: "" };
  const values = {
    venue: "Alte Kelter",
    town: "Eppingen",
    starts_at: `${day}T17:00`,
    ends_at: `${day}T21:00`,
    round_minutes: "8",
    ...fields,
  };
  // "tables" and "seats" stand for the first table group's count and seats.
  const keys: Record<string, string> = { tables: "tables][0][count", seats: "tables][0][seats" };
  for (const [key, value] of Object.entries(values)) form[`event[${keys[key] ?? key}]`] = value.replace("{day}", day);
  const saved = await call(request, "veranstaltung/speichern", form);
  const slug = String(saved).startsWith("/") ? saved.split("/")[2] : saved;
  await call(request, "veranstaltung/status", { slug, status: "open" });
  return slug;
}
