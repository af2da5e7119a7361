/**
 * Seal's Merchant API: the one module that talks to it. Documented by Seal
 * (https://www.sealsubscriptions.com/articles/merchant-api-documentation and its PHP client):
 * base https://app.sealsubscriptions.com/shopify/merchant/api/, the X-Seal-Token header,
 * GET subscriptions paged at 50 with ?page=N, and an X-Seal-Hmac-Sha256 header on responses
 * signed like webhooks. Not in the readable part of Seal's page, but read the same way by
 * several independent clients: the answer {success, payload: {subscriptions, page,
 * total_pages}} and the with-items / with-billing-attempts flags (without them a page has no
 * items or billing attempts). No rate limit is documented: callers pace themselves and
 * treat 429 and 5xx as "later".
 */
import { config } from "../../config.server";

export const SEAL_PAGE_SIZE = 50;
const TIMEOUT_MS = 15_000;

export interface SealApiOptions {
  /** SEAL_API_BASE_URL by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export type SealPageResult =
  | { ok: true; subscriptions: unknown[]; totalPages: number | null; rawBody: string; hmac: string | null }
  | { ok: false; kind: "refused" | "throttled" | "unavailable" | "unreadable"; status: number; message: string; retryAfterMs?: number };

/** One page of the shop's subscriptions, with their items and billing attempts. */
export async function fetchSubscriptionsPage(token: string, page: number, options: SealApiOptions = {}): Promise<SealPageResult> {
  const base = (options.baseUrl ?? config().SEAL_API_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/subscriptions?page=${page}&with-items=true&with-billing-attempts=true`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { "X-Seal-Token": token, Accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, kind: "unavailable", status: 0, message: `Seal did not answer (${(error as Error).message})` };
  }
  const rawBody = await response.text().catch(() => "");
  if (response.status === 401 || response.status === 403) return { ok: false, kind: "refused", status: response.status, message: `Seal refused the API token (${response.status})` };
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    return { ok: false, kind: "throttled", status: 429, message: "Seal asked to slow down (429)", retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 30_000 };
  }
  if (response.status >= 500) return { ok: false, kind: "unavailable", status: response.status, message: `Seal answered ${response.status}` };
  if (response.status !== 200) return { ok: false, kind: "refused", status: response.status, message: `Seal answered ${response.status} for the subscriptions list` };
  const list = subscriptionsOf(rawBody);
  if (!list) return { ok: false, kind: "unreadable", status: 200, message: "Seal's subscriptions list is not in the shape Seal's clients read ({success, payload: {subscriptions}})" };
  if (list.refused) return { ok: false, kind: "refused", status: 200, message: `Seal refused: ${list.refused}` };
  return { ok: true, subscriptions: list.subscriptions, totalPages: list.totalPages, rawBody, hmac: response.headers.get("x-seal-hmac-sha256") };
}

function subscriptionsOf(raw: string): { subscriptions: unknown[]; totalPages: number | null; refused?: string } | null {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null) return null;
  const { success, payload, message } = body as { success?: unknown; payload?: unknown; message?: unknown };
  if (success === false) return { subscriptions: [], totalPages: null, refused: typeof message === "string" ? message.slice(0, 200) : "success: false" };
  if (Array.isArray(payload)) return { subscriptions: payload, totalPages: null };
  const inner = payload as { subscriptions?: unknown; total_pages?: unknown } | undefined;
  if (!inner || !Array.isArray(inner.subscriptions)) return null;
  const total = Number(inner.total_pages);
  return { subscriptions: inner.subscriptions, totalPages: Number.isInteger(total) && total >= 0 ? total : null };
}
