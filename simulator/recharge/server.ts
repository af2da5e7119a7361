/**
 * A local stand-in for Recharge's API (2021-11), for tests, benchmarks and the demo. It
 * behaves as Recharge documents where a client can tell (fixtures/recharge/SOURCES.md):
 *   auth by X-Recharge-Access-Token (401 without a known token, 403 without the scope),
 *   X-Recharge-Version required (this server speaks 2021-11 only),
 *   GET /subscriptions, /charges, /customers, /payment_methods with cursor pages (listing.ts),
 *   POST / GET / DELETE /webhooks, one topic per webhook,
 *   a leaky bucket per token: 40 requests, draining 2 a second, 429 when full (no header).
 * It records every request, every 429 and each bucket's peak so tests can assert on the
 * traffic, can be told to fail (injected 5xx), and signs and sends webhooks to the
 * addresses registered with it, as Recharge would (both schemes, or either alone).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Bucket, RECHARGE_DEFAULT_LIMIT, type LeakyLimit } from "./bucket";
import { listPage, type RechargeObject } from "./listing";
import { rechargeSignatureHeaders } from "./webhooks";
import { header, readBody } from "../http";

export type { RechargeObject } from "./listing";
export { RECHARGE_DEFAULT_LIMIT, type LeakyLimit } from "./bucket";

/** What the account holds, as Recharge lists it (rechargeStateAt in webhooks.ts, or dataset.ts). */
export interface RechargeDataSet {
  customers: RechargeObject[];
  subscriptions: RechargeObject[];
  charges: RechargeObject[];
  /** The customers' cards; none when absent. */
  payment_methods?: RechargeObject[];
}

/** Recharge sends both on every delivery; tests may send one alone. */
export type RechargeSignatureScheme = "both" | "timestamp" | "legacy";

/** Recharge's token permissions as this server checks them: charges are read under orders. */
export type RechargeScope = "read_customers" | "read_subscriptions" | "read_orders" | "read_payment_methods";
const ALL_SCOPES: RechargeScope[] = ["read_customers", "read_subscriptions", "read_orders", "read_payment_methods"];

export interface RechargeTokenConfig {
  scopes?: RechargeScope[];
  /** This token's bucket (Recharge lets plans and newer tokens have more); default 40 draining 2/s. */
  limit?: LeakyLimit | false;
}

export interface RechargeServerOptions {
  port?: number;
  host?: string;
  data?: RechargeDataSet;
  /** Accepted tokens; each gets its own bucket. */
  tokens: Record<string, RechargeTokenConfig>;
  /** The API client secret webhooks are signed with. */
  clientSecret?: string;
  /** Recharge documents no Retry-After; set to send one with each 429. */
  retryAfterSeconds?: number;
  clock?: () => number;
}

export interface RechargeRequest {
  method: string;
  path: string;
  /** The query string's parameters as sent. */
  query: Record<string, string>;
  /** Which configured token it carried (tests' own tokens), or null. */
  token: string | null;
  version: string | null;
  status: number;
  at: number;
}

export interface RegisteredWebhook {
  id: number;
  address: string;
  topic: string;
  included_objects: string[];
}

export interface SignedDelivery {
  url: string;
  topic: string;
  headers: Record<string, string>;
  body: string;
}

export interface RechargeServer {
  baseUrl: string;
  /** Every request, in arrival order. */
  requests: RechargeRequest[];
  /** The requests answered 429. */
  throttled(): RechargeRequest[];
  /** The highest level a token's bucket reached (all tokens when omitted). */
  bucketPeak(token?: string): number;
  webhooks(): RegisteredWebhook[];
  setData(data: RechargeDataSet): void;
  /** The next n authorised requests answer `status` (default 500). */
  failNext(n: number, status?: number): void;
  /** The signed deliveries Recharge would make of `object` for `topic`, one per webhook registered for it. */
  deliveries(topic: string, object: Record<string, unknown>, options?: { scheme?: RechargeSignatureScheme; at?: number }): SignedDelivery[];
  /** Makes those deliveries over HTTP; returns each answer's status. */
  send(topic: string, object: Record<string, unknown>, options?: { scheme?: RechargeSignatureScheme; at?: number }): Promise<number[]>;
  /** Forgets requests, webhooks, buckets and injected failures; keeps tokens and data. */
  reset(): void;
  stop(): Promise<void>;
}

const RESOURCE_SCOPE: Record<string, RechargeScope> = {
  subscriptions: "read_subscriptions",
  charges: "read_orders",
  customers: "read_customers",
  payment_methods: "read_payment_methods",
};
/** A webhook's topic needs read access to its resource (subscription/* -> read_subscriptions, charge/* -> read_orders, ...). */
const TOPIC_SCOPE: Record<string, RechargeScope> = { subscription: "read_subscriptions", charge: "read_orders", customer: "read_customers" };

export async function startRechargeServer(options: RechargeServerOptions): Promise<RechargeServer> {
  const clock = options.clock ?? Date.now;
  let data: RechargeDataSet = options.data ?? { customers: [], subscriptions: [], charges: [] };
  let customersById = new Map(data.customers.map((c) => [Number(c.id), c]));
  const buckets = new Map<string, Bucket>();
  let webhooks: RegisteredWebhook[] = [];
  let webhookSeq = 0;
  let failCount = 0;
  let failStatus = 500;

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { errors: "Internal error" });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  function deliveries(topic: string, object: Record<string, unknown>, opts: { scheme?: RechargeSignatureScheme; at?: number } = {}): SignedDelivery[] {
    const resource = topic.split("/")[0];
    return webhooks
      .filter((w) => w.topic === topic)
      .map((w) => {
        const payload: Record<string, unknown> = { [resource]: object };
        if (w.included_objects.includes("customer") && resource !== "customer") {
          const id = object.customer_id ?? (object.customer as { id?: unknown } | undefined)?.id;
          const customer = customersById.get(Number(id));
          if (customer) payload.customer = customer;
        }
        const body = JSON.stringify(payload);
        const signed = rechargeSignatureHeaders(body, options.clientSecret ?? "", new Date(opts.at ?? clock()));
        if (opts.scheme === "legacy") {
          delete signed["X-Recharge-Webhook-Timestamp"];
          delete signed["X-Recharge-Webhook-Signature"];
        }
        if (opts.scheme === "timestamp") delete signed["X-Recharge-Hmac-Sha256"];
        const headers = { "Content-Type": "application/json", ...signed };
        return { url: w.address, topic, headers, body };
      });
  }

  const api: RechargeServer = {
    baseUrl: "",
    requests: [],
    throttled: () => api.requests.filter((r) => r.status === 429),
    bucketPeak(token) {
      if (token !== undefined) return buckets.get(token)?.peak ?? 0;
      return Math.max(0, ...[...buckets.values()].map((b) => b.peak));
    },
    webhooks: () => webhooks.map((w) => ({ ...w })),
    setData(next) {
      data = next;
      customersById = new Map(data.customers.map((c) => [Number(c.id), c]));
    },
    failNext(n, status = 500) {
      failCount = n;
      failStatus = status;
    },
    deliveries,
    async send(topic, object, opts) {
      const statuses: number[] = [];
      for (const d of deliveries(topic, object, opts)) {
        const res = await fetch(d.url, { method: "POST", headers: d.headers, body: d.body });
        statuses.push(res.status);
      }
      return statuses;
    },
    reset() {
      api.requests.length = 0;
      buckets.clear();
      webhooks = [];
      failCount = 0;
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
    const tokenHeader = header(req, "x-recharge-access-token");
    const known = tokenHeader !== null && Object.hasOwn(options.tokens, tokenHeader) ? tokenHeader : null;
    const record: RechargeRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      token: known,
      version: header(req, "x-recharge-version"),
      status: 0,
      at: clock(),
    };
    api.requests.push(record);
    const reply = (status: number, body?: unknown) => {
      record.status = status;
      send(res, status, body, status === 429 && options.retryAfterSeconds !== undefined ? { "Retry-After": String(options.retryAfterSeconds) } : {});
    };

    if (known === null) return reply(401, { errors: "A valid access token is required (X-Recharge-Access-Token)." });
    const config = options.tokens[known];
    const limit = config.limit === undefined ? RECHARGE_DEFAULT_LIMIT : config.limit;
    if (limit) {
      let bucket = buckets.get(known);
      if (!bucket) buckets.set(known, (bucket = new Bucket(limit, clock())));
      if (!bucket.admit(clock())) return reply(429, { errors: "Too many requests" });
    }
    if (record.version !== "2021-11") return reply(400, { errors: "This server answers X-Recharge-Version: 2021-11 only." });
    const scopes = config.scopes ?? ALL_SCOPES;
    if (failCount > 0) {
      failCount--;
      return reply(failStatus, { errors: "A server error occurred." });
    }

    const [, resource, id, extra] = url.pathname.split("/");
    if (RESOURCE_SCOPE[resource] && id === undefined) {
      if (req.method !== "GET") return reply(405, { errors: "Method not allowed" });
      if (!scopes.includes(RESOURCE_SCOPE[resource])) return reply(403, { errors: `The token lacks the ${RESOURCE_SCOPE[resource]} scope.` });
      const answer = listPage(resource, data[resource as keyof RechargeDataSet] ?? [], url.searchParams);
      return reply(answer.status, answer.body);
    }
    if (resource !== "webhooks" || extra !== undefined) return reply(404, { errors: "Not found" });
    if (req.method === "GET" && id === undefined) {
      const answer = listPage("webhooks", webhooks as unknown as RechargeObject[], url.searchParams);
      return reply(answer.status, answer.body);
    }
    if (req.method === "POST" && id === undefined) return createWebhook(parseJson(raw), scopes, reply);
    if (req.method === "DELETE" && id !== undefined) {
      const before = webhooks.length;
      webhooks = webhooks.filter((w) => String(w.id) !== id);
      return before === webhooks.length ? reply(404, { errors: "Not found" }) : reply(204);
    }
    return reply(405, { errors: "Method not allowed" });
  }

  function createWebhook(body: unknown, scopes: RechargeScope[], reply: (s: number, b?: unknown) => void) {
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const errors: Record<string, string> = {};
    if (typeof b.address !== "string" || !/^https?:\/\/\S+$/.test(b.address)) errors.address = "must be a URL";
    if (typeof b.topic !== "string" || !/^[a-z_]+\/[a-z_]+$/.test(b.topic)) errors.topic = "must be a webhook topic";
    const included = b.included_objects ?? [];
    if (!Array.isArray(included) || included.some((o) => typeof o !== "string")) errors.included_objects = "must be a list of object names";
    if (Object.keys(errors).length > 0) return reply(422, { errors });
    const scope = TOPIC_SCOPE[String(b.topic).split("/")[0]];
    if (scope && !scopes.includes(scope)) return reply(403, { errors: `The token lacks the ${scope} scope for ${String(b.topic)}.` });
    const webhook: RegisteredWebhook = { id: 7_000_000 + ++webhookSeq, address: b.address as string, topic: b.topic as string, included_objects: included as string[] };
    webhooks.push(webhook);
    reply(201, { webhook });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { address, port } = server.address() as AddressInfo;
  api.baseUrl = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  return api;
}

function parseJson(raw: string): unknown {
  try {
    return raw === "" ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  if (body === undefined) {
    res.writeHead(status, headers);
    return void res.end();
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
