// Shared pieces of the load and abuse scripts: HTTP with a cookie jar per client, percentiles,
// bounded concurrency. Plain Node 20 (fetch, net): nothing to install. Loopback only.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const ms = (value) => `${value.toFixed(1)} ms`;

/** Runs `jobs` (functions returning promises) with at most `limit` in flight. */
export async function pool(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** A client: a base URL, its own cookies and an optional forwarded address (for a server started
 * with --trust-proxy 1, this is the address it sees). Every request is timed and counted. */
export class Client {
  constructor(base, forwardedFor) {
    this.base = base;
    this.cookies = new Map();
    this.forwardedFor = forwardedFor;
  }

  headers(extra = {}) {
    const headers = { ...extra };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (this.forwardedFor) headers["x-forwarded-for"] = this.forwardedFor;
    return headers;
  }

  keep(response) {
    for (const line of response.headers.getSetCookie?.() ?? []) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  async request(method, path, { form, accept } = {}) {
    const started = performance.now();
    const init = { method, headers: this.headers(accept ? { accept } : {}), redirect: "manual" };
    if (form) {
      init.body = new URLSearchParams(form).toString();
      init.headers["content-type"] = "application/x-www-form-urlencoded";
    }
    let response;
    try {
      response = await fetch(this.base + path, init);
    } catch (error) {
      return { status: 0, body: String(error), ms: performance.now() - started, headers: new Headers() };
    }
    const body = await response.text();
    this.keep(response);
    return { status: response.status, body, ms: performance.now() - started, headers: response.headers };
  }

  get(path, options) {
    return this.request("GET", path, options);
  }

  post(path, form, options = {}) {
    return this.request("POST", path, { ...options, form });
  }
}

/** Statuses by class, e.g. { "2xx": 300 }. */
export function statusClasses(replies) {
  const classes = {};
  for (const { status } of replies) {
    const key = status === 0 ? "failed" : `${Math.floor(status / 100)}xx`;
    classes[key] = (classes[key] ?? 0) + 1;
  }
  return classes;
}

/** Resident memory of a process in MiB (now and peak), from /proc. */
export async function memory(pid) {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

/** A normal visitor who loads a page every `every` ms until stopped: their latencies. */
export function visitor(base, path, every = 200) {
  const client = new Client(base, "192.0.2.200");
  const times = [];
  const statuses = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const reply = await client.get(path, { accept: "text/html" });
      times.push(reply.ms);
      statuses.push(reply.status);
      await sleep(every);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { times, statuses };
    },
  };
}

const KINDS = ["mittelstand", "startup", "forschung"];

/** Registration form fields of synthetic person `n`: kinds in turn, two interest profiles. */
export function person(n) {
  return {
    "registration[person_name]": `Person ${n}`,
    "registration[email]": `person${n}@example.de`,
    "registration[organisation]": `Organisation ${n}`,
    "registration[kind]": KINDS[n % 3],
    "registration[offers]": n % 2 ? "Sensorik, Prototypen" : "Fertigung, Prüfstände",
    "registration[seeks]": n % 2 ? "Fertigung" : "Sensorik",
    "registration[consent]": "on",
  };
}

/** The event form of a new evening on `day` (YYYY-MM-DD), 10-minute rounds at tables for two. */
export function eventForm({ title, day, starts, ends, rounds, tables, venue = "Stadthalle", town = "Sinsheim" }) {
  return {
    slug: "",
    "event[title]": title,
    "event[venue]": venue,
    "event[town]": town,
    "event[starts_at]": `${day}T${starts}`,
    "event[ends_at]": `${day}T${ends}`,
    "event[round_minutes]": "10",
    "event[rounds]": String(rounds),
    "event[tables][0][count]": String(tables),
    "event[tables][0][seats]": "2",
  };
}
