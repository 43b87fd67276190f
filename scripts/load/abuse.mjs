// Abuse against a running server started with `--trust-proxy 1` (so X-Forwarded-For names the
// attacker's address), loopback only, bounded in count and time: 1,000 parallel logins, 5,000
// WebSocket connects from one address, 1,000 map requests with 500 filter values each, slowloris
// on 500 connections. Throughout, a normal visitor loads the home page; their p99 is printed per
// phase. Exits non-zero when the server fails a promise.
// Usage: node scripts/load/abuse.mjs http://127.0.0.1:3401 <server pid> admin@… password
import net from "node:net";
import { Client, memory, ms, percentile, pool, sleep, statusClasses, visitor } from "./common.mjs";

const [base, pidText, email, password] = process.argv.slice(2);
const pid = Number(pidText);
const { hostname, port } = new URL(base);
const failures = [];
const check = (what, ok, detail = "") => {
  if (!ok) failures.push(`${what} ${detail}`.trim());
};
const p99 = (times) => ms(percentile(times, 99));

async function phase(name, work) {
  const normal = visitor(base, "/");
  const started = performance.now();
  const result = await work();
  const { times, statuses } = await normal.stop();
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${name} (${secs} s): ${result}`);
  console.log(`  normal visitor meanwhile: ${times.length} page loads, p50 ${ms(percentile(times, 50))}, p99 ${p99(times)}, ${JSON.stringify(statusClasses(statuses.map((status) => ({ status }))))}`);
  check(`${name}: the visitor was served`, statuses.every((s) => s === 200), JSON.stringify(statusClasses(statuses.map((status) => ({ status })))));
}

const baseline = visitor(base, "/");
await sleep(3_000);
const { times: quiet } = await baseline.stop();
console.log(`quiet: normal visitor p50 ${ms(percentile(quiet, 50))}, p99 ${p99(quiet)}, RSS ${(await memory(pid)).rss.toFixed(0)} MiB`);

// 1. A thousand parallel logins from a thousand addresses; the organiser signs in meanwhile.
await phase("1,000 parallel logins", async () => {
  const before = await memory(pid);
  let peak = before.rss;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, (await memory(pid)).rss);
      await sleep(20);
    }
  })();
  const flood = Promise.all(
    Array.from({ length: 1_000 }, (_, n) =>
      new Client(base, `10.${n >> 8}.${n & 255}.1`).post("/api/konto/anmelden", {
        email: `bot${n}@example.de`,
        password: "rate-mal-passwort",
      }),
    ),
  );
  await sleep(100);
  const organiser = new Client(base, "192.0.2.10");
  const loginStarted = performance.now();
  let signedIn = null;
  let tries = 0;
  while (performance.now() - loginStarted < 60_000) {
    tries += 1;
    const reply = await organiser.post("/api/konto/anmelden", { email, password });
    if (reply.status === 200) {
      signedIn = performance.now() - loginStarted;
      break;
    }
    check("organiser login answered busy or ok", reply.status === 503, `${reply.status} ${reply.body}`);
    await sleep(Number(reply.headers.get("retry-after") ?? 1) * 1000);
  }
  const replies = await flood;
  sampling = false;
  await sampler;
  check("organiser signed in during the flood", signedIn !== null);
  check("memory under 1 GiB", peak < 1024, `${peak.toFixed(0)} MiB`);
  check("no 500 in the flood", replies.every((r) => r.status === 401 || r.status === 503), JSON.stringify(statusClasses(replies)));
  const busy = replies.filter((r) => r.status === 503).length;
  return `${JSON.stringify(statusClasses(replies))} (${busy} told to retry), p99 ${p99(replies.map((r) => r.ms))}; RSS ${before.rss.toFixed(0)} → peak ${peak.toFixed(0)} MiB; organiser signed in after ${signedIn === null ? "—" : ms(signedIn)} (${tries} tries)`;
});

// An event that is not a draft, for the sockets.
const admin = new Client(base, "192.0.2.11");
check("admin login", (await admin.post("/api/konto/anmelden", { email, password })).status === 200);
const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const saved = await admin.post(
  "/api/veranstaltung/speichern",
  eventForm({
    title: `Missbrauchstest ${Date.now()}`,
    day,
    starts: "17:00",
    ends: "21:00",
    rounds: 3,
    tables: 10,
    venue: "Halle",
    town: "Bruchsal",
  }),
);
const slug = JSON.parse(saved.body);
check("event opened", (await admin.post("/api/veranstaltung/status", { slug, status: "open" })).status === 200);

/** Opens a WebSocket handshake from `address`; resolves with the status and the open socket. */
function openSocket(address) {
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let answer = "";
    const done = (status) => resolve({ status, socket });
    socket.setTimeout(15_000, () => {
      socket.destroy();
      done(0);
    });
    socket.on("error", () => done(0));
    socket.on("data", (chunk) => {
      if (answer.includes("\r\n")) return;
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n")) {
        socket.setTimeout(0);
        done(Number(answer.split(" ")[1]));
      }
    });
    socket.on("connect", () =>
      socket.write(
        `GET /live/veranstaltungen/${slug} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
          `Origin: ${base}\r\nX-Forwarded-For: ${address}\r\n\r\n`,
      ),
    );
  });
}

// 2. Five thousand sockets from one address; a phone elsewhere still connects.
await phase("5,000 WebSocket connects from one address", async () => {
  const opened = await pool(Array.from({ length: 5_000 }, () => () => openSocket("10.66.0.1")), 500);
  const accepted = opened.filter((o) => o.status === 101).length;
  const refused = opened.filter((o) => o.status === 503).length;
  const phone = await openSocket("192.0.2.50");
  check("a phone elsewhere still connects", phone.status === 101, `${phone.status}`);
  check("the flood is capped", refused > 0 && accepted <= 2_500, `${accepted} accepted`);
  const rss = (await memory(pid)).rss;
  for (const { socket } of [...opened, phone]) socket.destroy();
  return `${accepted} accepted (the per-address cap), ${refused} refused with 503, ${opened.length - accepted - refused} other; a phone from another address: ${phone.status}; RSS with them open ${rss.toFixed(0)} MiB`;
});

// 3. A thousand map requests with 500 filter values each.
await phase("1,000 map requests with 500 filter values", async () => {
  const values = Array.from({ length: 500 }, (_, n) => `branche=sektor-${n}`).join("&");
  const path = `/api/karte/daten?filter=${encodeURIComponent(values)}`;
  const replies = await pool(Array.from({ length: 1_000 }, () => () => new Client(base, "10.77.0.1").get(path)), 48);
  check("map requests answered without 5xx", replies.every((r) => r.status > 0 && r.status < 500), JSON.stringify(statusClasses(replies)));
  return `${JSON.stringify(statusClasses(replies))}, p50 ${ms(percentile(replies.map((r) => r.ms), 50))}, p99 ${p99(replies.map((r) => r.ms))}`;
});

// 4. Slowloris: 500 connections that send their headers one line every 2 s and never finish.
await phase("slowloris on 500 connections", async () => {
  const started = performance.now();
  const closedAfter = [];
  const sockets = await pool(
    Array.from({ length: 500 }, () => () =>
      new Promise((resolve) => {
        const socket = net.connect(Number(port), hostname, () => {
          socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\n`);
          resolve(socket);
        });
        socket.on("error", () => {});
        socket.on("close", () => closedAfter.push(performance.now() - started));
      }),
    ),
    100,
  );
  const drip = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write("X-Langsam: ja\r\n");
  }, 2_000);
  await sleep(15_000);
  clearInterval(drip);
  const closed = closedAfter.length;
  for (const socket of sockets) socket.destroy();
  check("slow clients are disconnected", closed === 500, `${closed} of 500`);
  return `${closed} of 500 closed by the server within 15 s (median after ${ms(percentile(closedAfter, 50))})`;
});

console.log(`RSS at the end: ${(await memory(pid)).rss.toFixed(0)} MiB, peak ${(await memory(pid)).peak.toFixed(0)} MiB`);
if (failures.length) {
  console.error(`FAILED: ${failures.join("; ")}`);
  process.exit(1);
}
