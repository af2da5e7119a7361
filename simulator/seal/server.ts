/**
 * A local stand-in for Seal's Merchant API, for tests and demos, behaving as Seal documents
 * where it does and as its clients observe where it does not: GET /subscriptions?page=N
 * (50 a page, page numbers from 1) behind X-Seal-Token; the answer {success, payload:
 * {subscriptions, page, total_pages}}; items and billing attempts only with with-items=true
 * and with-billing-attempts=true; every answer signed in X-Seal-Hmac-Sha256 with the
 * account's API secret. Seal documents no rate limit: one can be switched on (429 with
 * Retry-After), as can injected failures. It also sends an account's webhooks, signed.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { SealDelivery } from "./subscriptions";

export const SEAL_PAGE_SIZE = 50;

export interface SealAccount {
  token: string;
  secret: string;
  /** The shop's subscriptions, newest state, in list order (read on every request). */
  subscriptions: () => readonly Record<string, unknown>[];
}

export interface SealServerOptions {
  accounts: SealAccount[];
  port?: number;
  /** Requests a second before a 429 (a bucket refilled continuously); off when omitted. */
  requestsPerSecond?: number;
  clock?: () => number;
}

export interface SealRequest {
  path: string;
  page: number | null;
  authorized: boolean;
  status: number;
}

export interface SealServer {
  baseUrl: string;
  requests: SealRequest[];
  /** The next n authorised list requests answer `status` (default 500). */
  failNext(n: number, status?: number): void;
  /** The next n requests for this page answer `status` (a 429 with Retry-After: 1). */
  failOn(page: number, n?: number, status?: number): void;
  stop(): Promise<void>;
}

export async function startSealServer(options: SealServerOptions): Promise<SealServer> {
  const clock = options.clock ?? Date.now;
  let failCount = 0;
  let failStatus = 500;
  const pageFailures = new Map<number, { n: number; status: number }>();
  let tokens = options.requestsPerSecond ?? 0;
  let refilledAt = clock();
  const sockets = new Set<Socket>();

  const api: SealServer = {
    baseUrl: "",
    requests: [],
    failNext(n, status = 500) {
      failCount = n;
      failStatus = status;
    },
    failOn(page, n = 1, status = 500) {
      pageFailures.set(page, { n, status });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) send(res, 500, { success: false, message: "Internal error" });
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    const pageParam = url.searchParams.get("page");
    const record: SealRequest = { path: url.pathname, page: pageParam === null ? null : Number(pageParam), authorized: false, status: 0 };
    api.requests.push(record);
    const reply = (status: number, body: unknown, secret?: string, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, body, secret, headers);
    };
    const token = req.headers["x-seal-token"];
    const account = options.accounts.find((a) => a.token === token);
    if (!account) return reply(401, { success: false, message: "Invalid API token." });
    record.authorized = true;
    if (req.method !== "GET" || url.pathname !== "/subscriptions") return reply(404, { success: false, message: "Not found." }, account.secret);
    if (options.requestsPerSecond) {
      const now = clock();
      tokens = Math.min(options.requestsPerSecond, tokens + ((now - refilledAt) / 1000) * options.requestsPerSecond);
      refilledAt = now;
      if (tokens < 1) return reply(429, { success: false, message: "Too many requests." }, account.secret, { "Retry-After": "1" });
      tokens -= 1;
    }
    if (failCount > 0) {
      failCount--;
      return reply(failStatus, { success: false, message: "A server error occurred." }, account.secret);
    }
    const page = pageParam === null ? 1 : Number(pageParam);
    if (!Number.isInteger(page) || page < 1) return reply(400, { success: false, message: "Invalid page." }, account.secret);
    const planned = pageFailures.get(page);
    if (planned && planned.n > 0) {
      planned.n--;
      return reply(planned.status, { success: false, message: "A server error occurred." }, account.secret, planned.status === 429 ? { "Retry-After": "1" } : {});
    }
    const all = account.subscriptions();
    const withItems = url.searchParams.get("with-items") === "true";
    const withAttempts = url.searchParams.get("with-billing-attempts") === "true";
    const subscriptions = all.slice((page - 1) * SEAL_PAGE_SIZE, page * SEAL_PAGE_SIZE).map((s) => {
      const { items, billing_attempts, ...rest } = s;
      return { ...rest, ...(withItems ? { items } : {}), ...(withAttempts ? { billing_attempts } : {}) };
    });
    reply(200, { success: true, payload: { subscriptions, page, total_pages: Math.ceil(all.length / SEAL_PAGE_SIZE) } }, account.secret);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

function send(res: ServerResponse, status: number, body: unknown, secret?: string, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...(secret ? { "X-Seal-Hmac-Sha256": sealSignature(text, secret) } : {}),
    ...headers,
  });
  res.end(text);
}

/** base64 HMAC-SHA256 of the raw body with the API secret, as Seal signs webhooks and answers. */
export function sealSignature(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

/** A webhook as Seal sends it: the body, its topic and its signature (no timestamp, no id). */
export function sealWebhookRequest(address: string, topic: string, rawBody: string, secret: string): Request {
  return new Request(address, {
    method: "POST",
    body: rawBody,
    headers: { "Content-Type": "application/json; charset=utf-8", "X-Seal-Topic": topic, "X-Seal-Hmac-Sha256": sealSignature(rawBody, secret) },
  });
}

/** Posts deliveries to a webhook address in order, signed with the account's secret; returns each answer's status. */
export async function sendSealWebhooks(address: string, deliveries: readonly SealDelivery[], secret: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const d of deliveries) {
    const response = await fetch(sealWebhookRequest(address, d.topic, JSON.stringify(d.body), secret));
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}
