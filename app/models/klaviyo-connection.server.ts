/**
 * A shop's Klaviyo connection. The private key is validated before it is stored,
 * stored only encrypted, and read back only by the server to make calls: nothing this
 * module returns to a page carries it.
 */
import prisma from "../db.server";
import { config } from "../config.server";
import { open, seal } from "../crypto/secret-box.server";
import { sendEvent, validateKey } from "../plays/klaviyo/client.server";
import { sharedKlaviyoRateLimiter, type KlaviyoRateLimiter } from "../plays/klaviyo/rate-limit.server";
import { runPendingNow } from "../queue/jobs.server";
import { COMMON_EVENT_PROPERTIES, LIFELINE_METRICS, type LifelineEventProperties } from "../playbook/metrics";

export interface KlaviyoStatus {
  connected: boolean;
  accountName: string | null;
  validatedAt: Date | null;
}

export type SaveKeyResult = { ok: true; status: KlaviyoStatus } | { ok: false; error: string };

export interface KlaviyoCallOptions {
  /** Defaults to KLAVIYO_API_BASE_URL. */
  basePath?: string;
  now?: Date;
  timeoutMs?: number;
}

const basePathOf = (options: KlaviyoCallOptions) => options.basePath ?? config().KLAVIYO_API_BASE_URL;

/**
 * Checks the key with Klaviyo, then stores it encrypted. A key Klaviyo refuses is not
 * stored, and the merchant is told why. Plays that were waiting for a connection are
 * woken so they go out now rather than at their next check.
 */
export async function saveKlaviyoKey(shop: string, apiKey: string, options: KlaviyoCallOptions = {}): Promise<SaveKeyResult> {
  const key = typeof apiKey === "string" ? apiKey.trim() : "";
  if (key === "") return { ok: false, error: "Paste your Klaviyo private API key (it starts with pk_)." };
  const checked = await validateKey(key, { basePath: basePathOf(options), timeoutMs: options.timeoutMs });
  if (!checked.ok) {
    return {
      ok: false,
      error: checked.retryable ? `Could not reach Klaviyo to check the key; try again in a minute. (${checked.error})` : checked.error,
    };
  }
  const now = options.now ?? new Date();
  const row = await prisma.klaviyoConnection.upsert({
    where: { shop },
    create: { shop, encryptedKey: seal(key, shop), accountName: checked.organizationName, validatedAt: now },
    update: { encryptedKey: seal(key, shop), accountName: checked.organizationName, validatedAt: now },
  });
  // Plays waiting for a connection go now; a wake-up only ever brings a job forward, never
  // postpones one that was due sooner.
  await runPendingNow(shop, ["play", "digest"], now);
  return { ok: true, status: { connected: true, accountName: row.accountName, validatedAt: row.validatedAt } };
}

export async function klaviyoStatus(shop: string): Promise<KlaviyoStatus> {
  const row = await prisma.klaviyoConnection.findUnique({
    where: { shop },
    select: { accountName: true, validatedAt: true },
  });
  return row ? { connected: true, ...row } : { connected: false, accountName: null, validatedAt: null };
}

/** Forgets the key. Plays already queued wait until a key is saved again. */
export async function disconnectKlaviyo(shop: string): Promise<void> {
  await prisma.klaviyoConnection.deleteMany({ where: { shop } });
}

/** Server-side only: the decrypted key for making calls, or null when not connected. */
export async function loadKlaviyoKey(shop: string): Promise<string | null> {
  const row = await prisma.klaviyoConnection.findUnique({ where: { shop }, select: { encryptedKey: true } });
  return row ? open(row.encryptedKey, shop) : null;
}

export type TestEventsResult =
  | { ok: true; sent: { metric: string; ok: boolean; error?: string }[] }
  | { ok: false; error: string };

const SAMPLE: LifelineEventProperties = {
  trigger: "test",
  trigger_name: "Test event from Lifeline",
  score: 42,
  band: "at_risk",
  reasons: ["This is a test event so the metric exists before the first real play"],
  contract_id: "test",
  next_billing_date: null,
  monthly_value: 0,
  skip_count: 0,
  error_class: null,
  error_code: null,
};

/**
 * One test event per Lifeline metric to `email`, so every metric exists in Klaviyo and
 * flows can be built on it before the first real firing. Each carries a fixed unique_id
 * per metric: sending the tests again changes nothing in Klaviyo.
 */
export async function sendTestEvents(
  shop: string,
  email: string,
  options: KlaviyoCallOptions & { limiter?: KlaviyoRateLimiter } = {},
): Promise<TestEventsResult> {
  if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) {
    return { ok: false, error: "Enter the email address the test events should go to." };
  }
  const key = await loadKlaviyoKey(shop);
  if (!key) return { ok: false, error: "Connect Klaviyo first: save your private API key." };
  const limiter = options.limiter ?? sharedKlaviyoRateLimiter();
  const time = options.now ?? new Date();
  const properties = Object.fromEntries(COMMON_EVENT_PROPERTIES.map((p) => [p, SAMPLE[p]]));
  const sent: { metric: string; ok: boolean; error?: string }[] = [];
  for (const [metricKey, metric] of Object.entries(LIFELINE_METRICS)) {
    await limiter.acquire(shop, "events");
    const result = await sendEvent(
      key,
      { metric: metric.name, email: email.trim(), properties, uniqueId: `lifeline:test:${metricKey}`, time },
      { basePath: basePathOf(options), timeoutMs: options.timeoutMs },
    );
    sent.push(result.ok ? { metric: metric.name, ok: true } : { metric: metric.name, ok: false, error: result.message });
  }
  return { ok: true, sent };
}
