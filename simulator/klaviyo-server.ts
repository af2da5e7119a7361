/**
 * A local stand-in for Klaviyo's API, for tests and demos. It serves the endpoints the
 * `klaviyo-api` SDK calls for Lifeline (create event, profile import, get accounts),
 * behaves like Klaviyo where it matters to a sender (auth, JSON:API errors, dedupe by
 * profile+metric+unique_id, rate limiting with Retry-After), records everything it
 * receives, and can be told to misbehave (injected 5xx, outage windows).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { header, readBody } from "./http";

export interface BucketConfig {
  burstPerSecond: number;
  steadyPerMinute: number;
}

export interface KlaviyoServerOptions {
  port?: number;
  host?: string;
  /** Accepted keys and their scopes; omitted = any `pk_` key with every scope. */
  keys?: Record<string, Scope[]>;
  /** Per-endpoint limits (Klaviyo's defaults); false switches one off. */
  rateLimits?: { events?: BucketConfig | false; profiles?: BucketConfig | false };
  /** Fixed Retry-After for 429s (seconds); default: time until a token is free, at least 1. */
  retryAfterSeconds?: number;
  /** The clock the rate limiter and outage windows read; injectable for tests. */
  clock?: () => number;
}

export type Scope = "events:write" | "profiles:write" | "accounts:read";

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Only whether the key was accepted; the key itself is never kept. */
  authorized: boolean;
  revision: string | null;
  body: unknown;
  status: number;
  at: number;
}

export interface StoredEvent {
  metric: string;
  profile: Record<string, unknown>;
  properties: Record<string, unknown>;
  uniqueId: string;
  time: string | null;
}

export interface StoredProfile {
  id: string;
  email: string | null;
  attributes: Record<string, unknown>;
  properties: Record<string, unknown>;
}

export interface KlaviyoServer {
  baseUrl: string;
  /** Every request, in arrival order. */
  requests: ReceivedRequest[];
  /** Accepted events after dedupe. */
  events: StoredEvent[];
  /** Events Klaviyo would have dropped as duplicates. */
  duplicates: StoredEvent[];
  profiles: Map<string, StoredProfile>;
  /** The next n requests (after auth) answer `status` (default 500). */
  failNext(n: number, status?: number): void;
  /** Each request fails with this probability (0..1); `random` makes it reproducible. */
  setFailureRate(rate: number, status?: number, random?: () => number): void;
  /** Full outage for `ms` from now: "unavailable" answers 503, "reset" drops connections. */
  outage(ms: number, mode?: "unavailable" | "reset"): void;
  setRateLimit(endpoint: "events" | "profiles", config: BucketConfig | false): void;
  /** Forget recorded data and misbehaviour; keeps keys and limits. */
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_LIMITS = {
  events: { burstPerSecond: 350, steadyPerMinute: 3500 },
  profiles: { burstPerSecond: 75, steadyPerMinute: 700 },
};

/** Klaviyo's two windows as two token buckets; a request needs a token from both. */
class DualBucket {
  private burst: number;
  private steady: number;
  private last: number;
  constructor(private config: BucketConfig, now: number) {
    this.burst = config.burstPerSecond;
    this.steady = config.steadyPerMinute;
    this.last = now;
  }
  /** Takes a token, or returns the seconds until one will be free. */
  take(now: number): { ok: true } | { ok: false; waitSeconds: number } {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    const { burstPerSecond: b, steadyPerMinute: s } = this.config;
    this.burst = Math.min(b, this.burst + elapsed * b);
    this.steady = Math.min(s, this.steady + (elapsed * s) / 60);
    if (this.burst >= 1 && this.steady >= 1) {
      this.burst -= 1;
      this.steady -= 1;
      return { ok: true };
    }
    const waitBurst = this.burst >= 1 ? 0 : (1 - this.burst) / b;
    const waitSteady = this.steady >= 1 ? 0 : ((1 - this.steady) * 60) / s;
    return { ok: false, waitSeconds: Math.max(waitBurst, waitSteady) };
  }
}

const ALL_SCOPES: Scope[] = ["events:write", "profiles:write", "accounts:read"];
const ROUTES: Record<string, { method: string; scope: Scope; bucket?: "events" | "profiles" }> = {
  "/api/events": { method: "POST", scope: "events:write", bucket: "events" },
  "/api/profile-import": { method: "POST", scope: "profiles:write", bucket: "profiles" },
  "/api/accounts": { method: "GET", scope: "accounts:read" },
};

export async function startKlaviyoServer(options: KlaviyoServerOptions = {}): Promise<KlaviyoServer> {
  const clock = options.clock ?? Date.now;
  const limits = { ...DEFAULT_LIMITS, ...options.rateLimits };
  const buckets: Partial<Record<"events" | "profiles", DualBucket>> = {};
  const resetBuckets = () => {
    for (const k of ["events", "profiles"] as const) {
      const cfg = limits[k];
      if (cfg) buckets[k] = new DualBucket(cfg, clock());
      else delete buckets[k];
    }
  };
  resetBuckets();

  let failCount = 0;
  let failStatus = 500;
  let failureRate = 0;
  let failureRateStatus = 500;
  let random = Math.random;
  let outageUntil = 0;
  let outageMode: "unavailable" | "reset" = "unavailable";
  const dedupeKeys = new Set<string>();
  let profileSeq = 0;

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, jsonApiError(500, "error", "Internal error."));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  const api: KlaviyoServer = {
    baseUrl: "",
    requests: [],
    events: [],
    duplicates: [],
    profiles: new Map(),
    failNext(n, status = 500) {
      failCount = n;
      failStatus = status;
    },
    setFailureRate(rate, status = 500, rnd = Math.random) {
      failureRate = rate;
      failureRateStatus = status;
      random = rnd;
    },
    outage(ms, mode = "unavailable") {
      outageUntil = clock() + ms;
      outageMode = mode;
    },
    setRateLimit(endpoint, config) {
      limits[endpoint] = config;
      resetBuckets();
    },
    reset() {
      api.requests.length = 0;
      api.events.length = 0;
      api.duplicates.length = 0;
      api.profiles.clear();
      dedupeKeys.clear();
      failCount = 0;
      failureRate = 0;
      outageUntil = 0;
      resetBuckets();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const raw = await readBody(req);
    const record: ReceivedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      authorized: false,
      revision: header(req, "revision"),
      body: parseJson(raw),
      status: 0,
      at: clock(),
    };
    api.requests.push(record);
    const reply = (status: number, body?: unknown, headers?: Record<string, string>) => {
      record.status = status;
      send(res, status, body, headers);
    };

    if (clock() < outageUntil) {
      record.status = outageMode === "reset" ? 0 : 503;
      if (outageMode === "reset") return void req.socket.destroy();
      return reply(503, jsonApiError(503, "service_unavailable", "Service unavailable."));
    }

    const route = ROUTES[url.pathname];
    if (!route) return reply(404, jsonApiError(404, "not_found", "Not found."));
    if (req.method !== route.method) return reply(405, jsonApiError(405, "method_not_allowed", "Method not allowed."));

    const auth = header(req, "authorization") ?? "";
    const match = /^Klaviyo-API-Key (pk_[A-Za-z0-9_]+)$/.exec(auth);
    const key = match?.[1];
    const scopes = key === undefined ? undefined : options.keys ? options.keys[key] : ALL_SCOPES;
    if (!scopes) {
      return reply(
        401,
        jsonApiError(401, key ? "authentication_failed" : "not_authenticated", key ? "Incorrect authentication credentials." : "Authentication credentials were not provided."),
      );
    }
    record.authorized = true;
    if (!scopes.includes(route.scope)) {
      return reply(403, jsonApiError(403, "permission_denied", "You do not have permission to perform this action."));
    }
    if (!record.revision) return reply(400, jsonApiError(400, "invalid", "Missing revision header.", "/headers/revision"));

    // Injected 429s look exactly like real throttling, Retry-After included.
    const fail = (status: number, waitSeconds = 1) => {
      if (status !== 429) return reply(status, jsonApiError(status, "error", "A server error occurred."));
      const seconds = options.retryAfterSeconds ?? Math.max(1, Math.ceil(waitSeconds));
      const detail = `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`;
      return reply(429, jsonApiError(429, "throttled", detail), { "Retry-After": String(seconds) });
    };
    const bucket = route.bucket && buckets[route.bucket];
    if (bucket) {
      const taken = bucket.take(clock());
      if (!taken.ok) return fail(429, taken.waitSeconds);
    }
    if (failCount > 0) {
      failCount--;
      return fail(failStatus);
    }
    if (failureRate > 0 && random() < failureRate) return fail(failureRateStatus);

    if (url.pathname === "/api/events") return handleEvent(record.body, reply);
    if (url.pathname === "/api/profile-import") return handleProfile(record.body, reply);
    return reply(200, accountsBody(api.baseUrl));
  }

  function handleEvent(body: unknown, reply: (s: number, b?: unknown) => void) {
    const checked = checkEvent(body);
    if ("errors" in checked) return reply(400, { errors: checked.errors });
    const { event } = checked;
    // Klaviyo: without unique_id, the event time to the second is the unique id.
    const uniqueId = event.uniqueId ?? (event.time ?? new Date(clock()).toISOString()).slice(0, 19);
    const who = String(event.profile.email ?? event.profile.phone_number ?? event.profile.external_id ?? event.profile.id).toLowerCase();
    const stored = { ...event, uniqueId };
    const key = JSON.stringify([who, event.metric, uniqueId]);
    if (dedupeKeys.has(key)) api.duplicates.push(stored);
    else {
      dedupeKeys.add(key);
      api.events.push(stored);
    }
    reply(202);
  }

  function handleProfile(body: unknown, reply: (s: number, b?: unknown) => void) {
    const checked = checkProfile(body);
    if ("errors" in checked) return reply(400, { errors: checked.errors });
    const { attributes, properties } = checked.profile;
    const email = typeof attributes.email === "string" ? attributes.email.toLowerCase() : null;
    const lookup = email ?? String(attributes.external_id ?? attributes.phone_number);
    const existing = api.profiles.get(lookup);
    const profile: StoredProfile = existing
      ? { ...existing, attributes: { ...existing.attributes, ...attributes }, properties: { ...existing.properties, ...properties } }
      : { id: `01SIMPROFILE${String(++profileSeq).padStart(14, "0")}`, email, attributes, properties };
    api.profiles.set(lookup, profile);
    reply(existing ? 200 : 201, {
      data: {
        type: "profile",
        id: profile.id,
        attributes: { ...profile.attributes, properties: profile.properties },
        links: { self: `${api.baseUrl}/api/profiles/${profile.id}/` },
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { address, port } = server.address() as AddressInfo;
  api.baseUrl = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  return api;
}

export function stopKlaviyoServer(server: KlaviyoServer): Promise<void> {
  return server.stop();
}

function accountsBody(baseUrl: string) {
  return {
    data: [
      {
        type: "account",
        id: "SimAcct",
        attributes: {
          test_account: false,
          contact_information: { default_sender_name: "Simulated Store", default_sender_email: "store@example.com", organization_name: "Simulated Store" },
          industry: "Ecommerce",
          timezone: "UTC",
          preferred_currency: "USD",
          public_api_key: "SimAcct",
          locale: "en-US",
        },
        links: { self: `${baseUrl}/api/accounts/SimAcct/` },
      },
    ],
    links: { self: `${baseUrl}/api/accounts/`, next: null, prev: null },
  };
}

function parseJson(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return { __invalidJson: raw.slice(0, 200) };
  }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  if (body === undefined) {
    res.writeHead(status, headers);
    return void res.end();
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/vnd.api+json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

// ---- Request validation: the checks Klaviyo applies that a wrong client would trip. ----

export interface JsonApiError {
  id: string;
  status: number;
  code: string;
  title: string;
  detail: string;
  source: { pointer: string };
}

function jsonApiError(status: number, code: string, detail: string, pointer = "/data/"): { errors: JsonApiError[] } {
  const title = status === 400 ? "Invalid input." : detail;
  return { errors: [{ id: `sim-${status}-${code}`, status, code, title, detail, source: { pointer } }] };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const invalid = (detail: string, pointer: string) => ({ errors: jsonApiError(400, "invalid", detail, pointer).errors });

function checkEvent(body: unknown):
  | { event: Omit<StoredEvent, "uniqueId"> & { uniqueId: string | null } }
  | { errors: JsonApiError[] } {
  const data = isObj(body) ? body.data : undefined;
  if (!isObj(data) || data.type !== "event") return invalid("'data.type' must be 'event'.", "/data/type");
  const a = data.attributes;
  if (!isObj(a)) return invalid("'attributes' is required.", "/data/attributes");
  if (!isObj(a.properties)) return invalid("'properties' must be an object.", "/data/attributes/properties");
  const metric = isObj(a.metric) ? a.metric.data : undefined;
  if (!isObj(metric) || metric.type !== "metric") return invalid("'metric.data.type' must be 'metric'.", "/data/attributes/metric/data/type");
  const name = isObj(metric.attributes) ? metric.attributes.name : undefined;
  if (typeof name !== "string" || name.trim() === "") return invalid("A metric name is required.", "/data/attributes/metric/data/attributes/name");
  const profile = isObj(a.profile) ? a.profile.data : undefined;
  if (!isObj(profile) || profile.type !== "profile") return invalid("'profile.data.type' must be 'profile'.", "/data/attributes/profile/data/type");
  const pa = isObj(profile.attributes) ? profile.attributes : {};
  const identity: Obj = { ...pa, ...(typeof profile.id === "string" ? { id: profile.id } : {}) };
  if (!["email", "phone_number", "external_id", "id"].some((k) => typeof identity[k] === "string" && identity[k] !== "")) {
    return invalid("A profile identifier (email, phone_number, external_id or id) is required.", "/data/attributes/profile/data/attributes");
  }
  if (typeof pa.email === "string" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(pa.email)) {
    return invalid("Invalid email address.", "/data/attributes/profile/data/attributes/email");
  }
  if (a.time != null && (typeof a.time !== "string" || Number.isNaN(Date.parse(a.time)))) {
    return invalid("'time' must be an ISO 8601 datetime.", "/data/attributes/time");
  }
  if (a.unique_id != null && typeof a.unique_id !== "string") return invalid("'unique_id' must be a string.", "/data/attributes/unique_id");
  return {
    event: {
      metric: name,
      profile: identity,
      properties: a.properties,
      uniqueId: (a.unique_id as string | null | undefined) ?? null,
      time: (a.time as string | null | undefined) ?? null,
    },
  };
}

function checkProfile(body: unknown): { profile: { attributes: Obj; properties: Obj } } | { errors: JsonApiError[] } {
  const data = isObj(body) ? body.data : undefined;
  if (!isObj(data) || data.type !== "profile") return invalid("'data.type' must be 'profile'.", "/data/type");
  if (!isObj(data.attributes)) return invalid("'attributes' is required.", "/data/attributes");
  const { properties, ...attributes } = data.attributes;
  if (!["email", "phone_number", "external_id"].some((k) => typeof attributes[k] === "string" && attributes[k] !== "")) {
    return invalid("A profile identifier (email, phone_number or external_id) is required.", "/data/attributes");
  }
  if (properties != null && !isObj(properties)) return invalid("'properties' must be an object.", "/data/attributes/properties");
  return { profile: { attributes, properties: (properties as Obj | undefined) ?? {} } };
}
