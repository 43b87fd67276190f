// An event day against a running server (loopback only, bounded): 300 people register within a
// minute from one address, four desks register 60 walk-ups and check everyone in at once, the
// round is planned and started, then every participant's personal page and its API are fetched,
// 48 at a time. Prints the figures and exits non-zero on any 5xx or lost write.
// Usage: node scripts/load/event-day.mjs http://127.0.0.1:3400 admin@… password
import { Client, eventForm, ms, percentile, person, pool, statusClasses } from "./common.mjs";

const [base, email, password] = process.argv.slice(2);
const PEOPLE = 300;
const DESKS = 4;
const WALK_UPS_PER_DESK = 15;
const AT_ONCE = 48;
const failures = [];
const check = (what, ok, detail = "") => {
  if (!ok) failures.push(`${what} ${detail}`.trim());
};

async function organiser() {
  const client = new Client(base);
  const reply = await client.post("/api/konto/anmelden", { email, password });
  check("organiser login", reply.status < 400, `${reply.status} ${reply.body}`);
  return client;
}


const orga = await organiser();
const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const saved = await orga.post(
  "/api/veranstaltung/speichern",
  eventForm({ title: `Lasttest ${Date.now()}`, day, starts: "17:00", ends: "22:00", rounds: 6, tables: 200 }),
);
check("event saved", saved.status < 400, saved.body);
const slug = JSON.parse(saved.body);
check("event opened", (await orga.post("/api/veranstaltung/status", { slug, status: "open" })).status < 400);

// 300 phones on the venue's Wi-Fi: each loads the event page's data and sends the form.
const registrationStarted = performance.now();
const registrations = await pool(
  Array.from({ length: PEOPLE }, (_, n) => async () => {
    const phone = new Client(base);
    const page = await phone.get(`/api/veranstaltung?slug=${slug}`);
    const token = page.status === 200 ? JSON.parse(page.body).form_token : "";
    const reply = await phone.post("/api/veranstaltung/anmelden", { slug, form_token: token, ...person(n) });
    return { ...reply, token: reply.status === 200 ? JSON.parse(reply.body) : null };
  }),
  AT_ONCE,
);
const registrationSecs = (performance.now() - registrationStarted) / 1000;

// Four desks at once: each registers its walk-ups and checks in its quarter of the hall, finding
// each person by name as the desk's search does.
const desks = await Promise.all(Array.from({ length: DESKS }, () => organiser()));
async function checkIn(desk, name) {
  const found = await desk.get(`/api/veranstaltung/einlass?slug=${slug}&search=${encodeURIComponent(name)}`);
  if (found.status !== 200) return found;
  const entry = JSON.parse(found.body).entries.find((e) => e.person_name === name);
  if (!entry) return { ...found, status: 0, body: `${name} not found` };
  return desk.post("/api/veranstaltung/einlass/buchen", { slug, id: String(entry.id), present: "true" });
}
const deskStarted = performance.now();
const deskReplies = (
  await Promise.all(
    desks.map(async (desk, d) => {
      const replies = [];
      for (let w = 0; w < WALK_UPS_PER_DESK; w++) {
        const reply = await desk.post("/api/veranstaltung/einlass/anmelden", { slug, ...person(1000 + d * 100 + w) });
        replies.push({ ...reply, token: reply.status === 200 ? JSON.parse(reply.body) : null, walkUp: true });
      }
      for (let n = d; n < PEOPLE; n += DESKS) {
        replies.push(await checkIn(desk, `Person ${n}`));
      }
      return replies;
    }),
  )
).flat();
const deskSecs = (performance.now() - deskStarted) / 1000;

const after = JSON.parse((await orga.get(`/api/veranstaltung/einlass?slug=${slug}&search=`)).body);
const { registered, present } = after;
check("every registration stored", registered === PEOPLE + DESKS * WALK_UPS_PER_DESK, `${registered}`);
check("everyone checked in", present === registered, `${present} of ${registered}`);

check("event live", (await orga.post("/api/veranstaltung/status", { slug, status: "live" })).status < 400);
const planStarted = performance.now();
const plan = await orga.post("/api/veranstaltung/runde/planen", { slug, again: "false" });
const planMs = performance.now() - planStarted;
check("round planned", plan.status < 400, plan.body);
check("round started", (await orga.post("/api/veranstaltung/runde/uhr", { slug, command: "start" })).status < 400);

// Every phone asks for its table at once: the personal page, and the small read of its rounds
// that an open page repeats when the round moves on.
const tokens = [...registrations, ...deskReplies.filter((r) => r.walkUp)].map((r) => r.token).filter(Boolean);
const phoneReplies = await pool(
  tokens.flatMap((token) => [
    async () => ({ kind: "page", ...(await new Client(base).get(`/veranstaltungen/${slug}/ich/${token}`, { accept: "text/html" })) }),
    async () => ({ kind: "api", ...(await new Client(base).get(`/api/veranstaltung/ich/runden?slug=${slug}&token=${token}`)) }),
  ]),
  AT_ONCE,
);
const seated = phoneReplies.filter((r) => r.kind === "api" && r.status === 200 && JSON.parse(r.body)[0]?.table != null).length;

const all = [...registrations, ...deskReplies, ...phoneReplies];
const serverErrors = all.filter((r) => r.status >= 500 || r.status === 0);
check("no 5xx", serverErrors.length === 0, serverErrors.slice(0, 3).map((r) => `${r.status} ${r.body.slice(0, 120)}`).join(" | "));

const summary = (label, replies) =>
  `${label}: ${replies.length} requests ${JSON.stringify(statusClasses(replies))}, p50 ${ms(percentile(replies.map((r) => r.ms), 50))}, p99 ${ms(percentile(replies.map((r) => r.ms), 99))}`;
console.log(`event ${slug}`);
console.log(`${summary("registrations from one address", registrations)}; all ${PEOPLE} in ${registrationSecs.toFixed(1)} s`);
console.log(`${summary("4 desks (60 walk-ups; 300 check-ins, each found by name first)", deskReplies)}; in ${deskSecs.toFixed(1)} s`);
console.log(`stored: ${registered} registrations, ${present} checked in`);
console.log(`round planned for ${present} people in ${ms(planMs)}; ${seated} phones show a table`);
console.log(summary("phones, personal page (HTML)", phoneReplies.filter((r) => r.kind === "page")));
console.log(summary("phones, their rounds (API, the read repeated per round)", phoneReplies.filter((r) => r.kind === "api")));
console.log(`5xx or failed: ${serverErrors.length}`);
if (failures.length) {
  console.error(`FAILED: ${failures.join("; ")}`);
  process.exit(1);
}
