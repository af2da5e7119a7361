/**
 * The only module that talks to Recharge's API (version 2021-11). Every call is paced by
 * the token's leaky bucket (rate-limit.ts) and every outcome is one of:
 *   the answer                    done
 *   RechargeRefusedError          (a PermanentError) retrying cannot help: a bad token (401), a missing
 *                                 permission (403), a request Recharge refuses (other 4xx);
 *                                 the message is for the merchant
 *   RetryLaterError               Recharge kept answering 429: try again after the wait
 *   RechargeUnavailableError      5xx, a timeout or the network: the job retries with backoff
 * A 429 is waited out here (Retry-After when Recharge sends one; it documents none) and
 * the request sent again, so an import rides out a full bucket without failing. Reads are
 * retried after a 5xx or a network error a few times too; a webhook creation is not (it
 * may have landed): the registration that follows reads the webhooks back instead.
 * The token never appears in an error or a log line.
 */
import { PermanentError, RetryLaterError } from "../../queue/errors";
import { sharedRechargePacer, type RechargePacer } from "./rate-limit";

export const RECHARGE_API_VERSION = "2021-11";
export const DEFAULT_RECHARGE_BASE_URL = "https://api.rechargeapps.com";
/** Recharge's largest page. */
export const RECHARGE_PAGE_LIMIT = 250;

export type RechargeListResource = "subscriptions" | "charges" | "customers" | "payment_methods";

export interface RechargeClientOptions {
  /** RECHARGE_API_BASE_URL; Recharge's production API when omitted. */
  baseUrl?: string;
  /** Per-request timeout: a hung connection must not stall the import. Default 20 s. */
  timeoutMs?: number;
  /** Default: the process's shared pacer at Recharge's default limit. */
  pacer?: RechargePacer;
  /** 429s in a row before giving the job back to the queue (default 8). */
  maxThrottled?: number;
  /** Attempts of a read after a 5xx or a network error (default 3). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export interface RechargePage {
  items: unknown[];
  /** Pass back as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export interface RechargeWebhook {
  id: string;
  address: string;
  topic: string;
}

/** Recharge could not be reached or failed on its side (5xx, timeout, network): retry later. */
export class RechargeUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "RechargeUnavailableError";
  }
}

/** Recharge refused the request (4xx): a bad token, a missing permission, or a request it will never accept. */
export class RechargeRefusedError extends PermanentError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "RechargeRefusedError";
  }
}

export const BAD_TOKEN_MESSAGE =
  "Recharge did not accept this API access token. Copy it again in full from Recharge (Tools & apps > API tokens), and check the token has not been deleted.";
export const MISSING_SCOPE_MESSAGE =
  "This Recharge API token lacks a permission Lifeline needs. In Recharge (Tools & apps > API tokens), give the token read access to Subscriptions, Orders (charges), Customers and Payment methods, then connect again.";

type Query = Record<string, string>;

export interface RechargeClient {
  /**
   * One page of a list. With `cursor`, only the cursor and the limit are sent: Recharge
   * ignores other filters on a cursor request and asks that they are not re-sent.
   */
  list(resource: RechargeListResource, page: { cursor?: string | null; filters?: Query; limit?: number }): Promise<RechargePage>;
  /**
   * Every payment method of one customer (`GET /payment_methods?customer_id=`, all its pages).
   * Recharge documents that filter for one customer only, so this is one read per customer.
   */
  listPaymentMethods(customerId: string): Promise<unknown[]>;
  listWebhooks(): Promise<RechargeWebhook[]>;
  /** One topic per webhook; `includedObjects` ride along in each delivery (e.g. the customer of a subscription). */
  createWebhook(input: { address: string; topic: string; includedObjects?: string[] }): Promise<RechargeWebhook>;
  /** Resolves when the webhook is gone, including when Recharge no longer has it (404). */
  deleteWebhook(id: string): Promise<void>;
}

export function createRechargeClient(token: string, options: RechargeClientOptions = {}): RechargeClient {
  const base = (options.baseUrl ?? DEFAULT_RECHARGE_BASE_URL).replace(/\/+$/, "");
  const pacer = options.pacer ?? sharedRechargePacer();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxThrottled = options.maxThrottled ?? 8;
  const maxAttempts = options.maxAttempts ?? 3;

  async function call(method: "GET" | "POST" | "DELETE", path: string, query: Query = {}, body?: unknown): Promise<{ status: number; json: unknown }> {
    if (typeof token !== "string" || token.trim() === "") throw new RechargeRefusedError(BAD_TOKEN_MESSAGE, 401);
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const retriesRead = method !== "POST";
    let throttled = 0;
    let failures = 0;
    for (;;) {
      await pacer.acquire(token);
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          method,
          headers: {
            "X-Recharge-Access-Token": token,
            "X-Recharge-Version": RECHARGE_API_VERSION,
            Accept: "application/json",
            ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Read inside the timeout: a body that stalls halfway is an outage too.
        text = await response.text();
      } catch (error) {
        const what = (error as { name?: string }).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : "network error";
        if (retriesRead && ++failures < maxAttempts) {
          await sleep(1000 * 2 ** (failures - 1));
          continue;
        }
        throw new RechargeUnavailableError(`Could not reach Recharge (${method} ${path}: ${what}).`);
      }
      const status = response.status;
      if (status === 429) {
        pacer.markFull(token);
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
        if (++throttled > maxThrottled) {
          throw new RetryLaterError(retryAfterMs ?? 30_000, `Recharge kept answering 429 (rate limit) to ${method} ${path}.`, { countsAsAttempt: false });
        }
        // The pacer now waits for the bucket to drain; Retry-After, when sent, can only make that longer.
        if (retryAfterMs) await sleep(retryAfterMs);
        continue;
      }
      if (status >= 500 || status === 408) {
        if (retriesRead && ++failures < maxAttempts) {
          await sleep(1000 * 2 ** (failures - 1));
          continue;
        }
        throw new RechargeUnavailableError(`Recharge answered ${status} to ${method} ${path}${detailOf(text, token)}.`, status);
      }
      if (status === 401) throw new RechargeRefusedError(BAD_TOKEN_MESSAGE, status);
      if (status === 403) throw new RechargeRefusedError(`${MISSING_SCOPE_MESSAGE}${detailOf(text, token)}`, status);
      if (status === 404 && method === "DELETE") return { status, json: null };
      if (status >= 400) throw new RechargeRefusedError(`Recharge refused ${method} ${path} (${status})${detailOf(text, token)}.`, status);
      return { status, json: parseJson(text) };
    }
  }

  const list: RechargeClient["list"] = async (resource, page) => {
    const limit = String(Math.min(RECHARGE_PAGE_LIMIT, Math.max(1, page.limit ?? RECHARGE_PAGE_LIMIT)));
    const query: Query = page.cursor ? { limit, cursor: page.cursor } : { ...page.filters, limit };
    const { json } = await call("GET", `/${resource}`, query);
    return pageOf(json, resource);
  };

  return {
    list,

    async listPaymentMethods(customerId) {
      if (!/^\d+$/.test(customerId)) throw new RechargeRefusedError(`Not a Recharge customer id: ${customerId.slice(0, 40)}`, 400);
      const all: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page = await list("payment_methods", cursor ? { cursor } : { filters: { customer_id: customerId } });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    },

    async listWebhooks() {
      const all: RechargeWebhook[] = [];
      let cursor: string | null = null;
      do {
        const query: Query = cursor ? { limit: "250", cursor } : { limit: "250" };
        const { json } = await call("GET", "/webhooks", query);
        const page = pageOf(json, "webhooks");
        all.push(...page.items.map(webhookOf).filter((w): w is RechargeWebhook => w !== null));
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    },

    async createWebhook({ address, topic, includedObjects = [] }) {
      const { json } = await call("POST", "/webhooks", {}, { address, topic, included_objects: includedObjects });
      const webhook = webhookOf(isObject(json) ? json.webhook : null);
      if (!webhook) throw new RechargeUnavailableError(`Recharge's answer to creating the ${topic} webhook names no webhook.`);
      return webhook;
    },

    async deleteWebhook(id) {
      if (!/^\d+$/.test(id)) throw new RechargeRefusedError(`Not a Recharge webhook id: ${id.slice(0, 40)}`, 400);
      await call("DELETE", `/webhooks/${id}`);
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A list answer is `{<resource>: [...], next_cursor, previous_cursor}`; anything else is not Recharge's answer. */
function pageOf(json: unknown, resource: string): RechargePage {
  if (!isObject(json) || !Array.isArray(json[resource])) {
    throw new RechargeUnavailableError(`Recharge's answer to GET /${resource} is not a list of ${resource}.`);
  }
  const next = json.next_cursor;
  return { items: json[resource] as unknown[], nextCursor: typeof next === "string" && next !== "" ? next : null };
}

function webhookOf(raw: unknown): RechargeWebhook | null {
  if (!isObject(raw) || (typeof raw.id !== "number" && typeof raw.id !== "string")) return null;
  if (typeof raw.address !== "string" || typeof raw.topic !== "string") return null;
  return { id: String(raw.id), address: raw.address, topic: raw.topic };
}

/** Recharge's error bodies carry `errors` (a string or an object of messages) or `error`. */
function detailOf(text: string, token: string): string {
  const json = parseJson(text);
  const raw = isObject(json) ? (json.errors ?? json.error) : null;
  const detail = typeof raw === "string" ? raw : raw == null ? "" : JSON.stringify(raw);
  const clean = detail.split(token).join("[token]").replace(/\s+/g, " ").trim().slice(0, 300);
  return clean === "" ? "" : `: ${clean}`;
}

/** Retry-After is delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value == null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
