/**
 * The only module that talks to Klaviyo. It wraps the official `klaviyo-api` SDK and
 * turns every outcome into a small closed set the outbox worker can act on:
 *   { ok: true }                                   done
 *   { ok: false, retryable: true, retryAfterMs? }  try again later (429, 5xx, network)
 *   { ok: false, retryable: false, status }        stop and tell the merchant (400/401/403...)
 *
 * Retries belong to the worker, which persists attempts and honours Retry-After across
 * restarts; the SDK's own loop would sleep inside a request and hold a worker slot, so
 * it is limited to a single attempt. The API key never leaves this module: errors are
 * rebuilt from the response body and scrubbed, never passed through (an axios error
 * carries the Authorization header in its config).
 */
import {
  AccountsApi,
  ApiKeySession,
  EventsApi,
  ProfilesApi,
  RetryWithExponentialBackoff,
} from "klaviyo-api";

export const DEFAULT_KLAVIYO_BASE_URL = "https://a.klaviyo.com";
const DEFAULT_TIMEOUT_MS = 10_000;

export interface KlaviyoClientOptions {
  /** KLAVIYO_API_BASE_URL; Klaviyo's production API when omitted. */
  basePath?: string;
  /** Per-request timeout; a hung connection must not stall the outbox. Default 10 s. */
  timeoutMs?: number;
}

export type KlaviyoResult =
  | { ok: true }
  | { ok: false; retryable: true; retryAfterMs?: number; status?: number; message: string }
  | { ok: false; retryable: false; status: number; message: string };

export type KeyValidation =
  | { ok: true; accountId: string | null; organizationName: string | null }
  | { ok: false; error: string; retryable: boolean; status?: number };

export interface KlaviyoEventInput {
  metric: string;
  email: string;
  properties: Record<string, unknown>;
  /** Klaviyo keeps only the first event per profile+metric+unique_id: retries are safe. */
  uniqueId: string;
  time: Date;
}

type RequestConfig = Parameters<ApiKeySession["requestWithRetry"]>[0];

/** One attempt per call, with a timeout. */
class SingleAttemptSession extends ApiKeySession {
  constructor(
    apiKey: string,
    private readonly timeoutMs: number,
  ) {
    // numRetries counts total attempts in this SDK: 1 means "never retry, never sleep".
    super(apiKey, new RetryWithExponentialBackoff({ numRetries: 1, retryCodes: [] }));
  }
  override requestWithRetry(config: RequestConfig) {
    return super.requestWithRetry({ ...config, timeout: this.timeoutMs });
  }
}

function session(apiKey: string, options: KlaviyoClientOptions) {
  const s = new SingleAttemptSession(apiKey, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const basePath = (options.basePath ?? DEFAULT_KLAVIYO_BASE_URL).replace(/\/+$/, "");
  return { s, basePath };
}

/** Private keys are "pk_..."; anything else would only earn a 401 after a round trip. */
function keyShapeError(apiKey: string): KlaviyoResult | null {
  if (typeof apiKey === "string" && /^pk_\S+$/.test(apiKey)) return null;
  return {
    ok: false,
    retryable: false,
    status: 401,
    message: "Not a Klaviyo private API key (private keys start with pk_).",
  };
}

export async function sendEvent(
  apiKey: string,
  event: KlaviyoEventInput,
  options: KlaviyoClientOptions = {},
): Promise<KlaviyoResult> {
  const bad = keyShapeError(apiKey);
  if (bad) return bad;
  const { s, basePath } = session(apiKey, options);
  const api = new EventsApi(s);
  api.basePath = basePath;
  try {
    await api.createEvent({
      data: {
        type: "event",
        attributes: {
          properties: event.properties,
          metric: { data: { type: "metric", attributes: { name: event.metric } } },
          profile: { data: { type: "profile", attributes: { email: event.email } } },
          uniqueId: event.uniqueId,
          time: event.time,
        },
      },
    });
    return { ok: true };
  } catch (error) {
    return classifyError(error, apiKey);
  }
}

/** Upserts custom properties on the profile with this email (Klaviyo merges, never clears others). */
export async function updateProfileProperties(
  apiKey: string,
  email: string,
  properties: Record<string, unknown>,
  options: KlaviyoClientOptions = {},
): Promise<KlaviyoResult> {
  const bad = keyShapeError(apiKey);
  if (bad) return bad;
  const { s, basePath } = session(apiKey, options);
  const api = new ProfilesApi(s);
  api.basePath = basePath;
  try {
    await api.createOrUpdateProfile({ data: { type: "profile", attributes: { email, properties } } });
    return { ok: true };
  } catch (error) {
    return classifyError(error, apiKey);
  }
}

/** Checks a key when the merchant pastes it, by reading the account it belongs to. */
export async function validateKey(apiKey: string, options: KlaviyoClientOptions = {}): Promise<KeyValidation> {
  const bad = keyShapeError(apiKey);
  if (bad && !bad.ok) return { ok: false, error: bad.message, retryable: false, status: 401 };
  const { s, basePath } = session(apiKey, options);
  const api = new AccountsApi(s);
  api.basePath = basePath;
  try {
    const { body } = await api.getAccounts();
    const account = body?.data?.[0];
    return {
      ok: true,
      accountId: account?.id ?? null,
      organizationName: account?.attributes?.contactInformation?.organizationName ?? null,
    };
  } catch (error) {
    const r = classifyError(error, apiKey);
    if (r.ok) return { ok: true, accountId: null, organizationName: null };
    const error_ =
      r.retryable === false && (r.status === 401 || r.status === 403)
        ? r.status === 401
          ? "Klaviyo rejected this API key. Check it was copied in full and not revoked."
          : "This API key lacks a required scope (accounts:read, events:write, profiles:write)."
        : r.message;
    return { ok: false, error: error_, retryable: r.retryable, status: r.status };
  }
}

// ---- Error classification ----

interface HttpishError {
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
  code?: string;
}

/** Exported for tests: maps anything the SDK throws onto KlaviyoResult. */
export function classifyError(error: unknown, apiKey: string, nowMs = Date.now()): KlaviyoResult {
  const e = (typeof error === "object" && error !== null ? error : {}) as HttpishError;
  const status = e.response?.status;
  if (status === undefined) {
    // No response: refused, reset, DNS, timeout. The request may or may not have landed,
    // which is fine because every event carries a unique_id.
    const code = typeof e.code === "string" && /^[A-Z_]+$/.test(e.code) ? e.code : "unknown";
    return { ok: false, retryable: true, message: `Network error talking to Klaviyo (${code}).` };
  }
  const detail = scrub(describeBody(e.response?.data) ?? `HTTP ${status}`, apiKey);
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = parseRetryAfter(e.response?.headers?.["retry-after"], nowMs);
    return {
      ok: false,
      retryable: true,
      status,
      message: status === 429 ? `Klaviyo rate limit: ${detail}` : `Klaviyo error ${status}: ${detail}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { ok: false, retryable: false, status, message: `Klaviyo refused the request (${status}): ${detail}` };
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw === "number" && Number.isFinite(raw)) return Math.max(0, raw * 1000);
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** First JSON:API error's detail (or title), if the body has one. */
function describeBody(data: unknown): string | null {
  const body = typeof data === "string" ? safeJson(data) : data;
  const first = (body as { errors?: { detail?: unknown; title?: unknown }[] } | null)?.errors?.[0];
  const text = first?.detail ?? first?.title;
  return typeof text === "string" && text.trim() !== "" ? text.slice(0, 300) : null;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** Belt and braces: a server echoing the key back must not get it into our logs. */
function scrub(text: string, apiKey: string): string {
  let out = text;
  if (apiKey) out = out.split(apiKey).join("[redacted]");
  return out.replace(/pk_[A-Za-z0-9_-]+/g, "pk_[redacted]");
}
