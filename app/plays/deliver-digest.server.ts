/**
 * The plays worker's job for the "digest" queue: deliver a weekly digest (see
 * digest.server.ts) to the store owner's Klaviyo profile, by the plays' rules: wait while
 * Klaviyo is not connected, take a token from the shop's rate limiter, honour 429s
 * without using an attempt, retry 5xx with the queue's backoff, fail at once when Klaviyo
 * refuses. The event's unique_id is digest:<shop>:<week>, so a retry after a lost
 * response cannot send the week twice.
 */
import { config } from "../config.server";
import { sendEvent } from "./klaviyo/client.server";
import { sharedKlaviyoRateLimiter, type KlaviyoRateLimiter } from "./klaviyo/rate-limit.server";
import { loadKlaviyoKey } from "../models/klaviyo-connection.server";
import { PermanentError, RetryLaterError } from "../queue/errors";
import type { JobRecord } from "../queue/jobs.server";
import type { JobHandler } from "../queue/worker.server";
import type { DigestJobPayload } from "./digest.server";
import { WAITING_FOR_KLAVIYO } from "./deliver.server";

export interface DigestHandlerOptions {
  limiter?: KlaviyoRateLimiter;
  /** Defaults to KLAVIYO_API_BASE_URL, read when the job runs. */
  basePath?: string;
  timeoutMs?: number;
  /** How often a digest waiting for a Klaviyo connection looks again; default 15 minutes. */
  waitForConnectionMs?: number;
}

export function createDigestHandler(options: DigestHandlerOptions = {}): JobHandler {
  const waitMs = options.waitForConnectionMs ?? 15 * 60_000;
  return async function deliverDigest(job: JobRecord): Promise<void> {
    const digest = parseDigest(job.payload);
    if (!digest) throw new PermanentError("not a digest job");
    const apiKey = await loadKlaviyoKey(job.shop);
    if (!apiKey) throw new RetryLaterError(waitMs, WAITING_FOR_KLAVIYO, { countsAsAttempt: false });
    await (options.limiter ?? sharedKlaviyoRateLimiter()).acquire(job.shop, "events");
    const result = await sendEvent(
      apiKey,
      { metric: digest.metric, email: digest.email, properties: { ...digest.properties }, uniqueId: digest.uniqueId, time: new Date(digest.time) },
      { basePath: options.basePath ?? config().KLAVIYO_API_BASE_URL, timeoutMs: options.timeoutMs },
    );
    if (result.ok) return;
    if (!result.retryable) throw new PermanentError(result.message);
    if (result.status === 429) throw new RetryLaterError(result.retryAfterMs ?? 1_000, result.message, { countsAsAttempt: false });
    if (result.retryAfterMs !== undefined) throw new RetryLaterError(result.retryAfterMs, result.message);
    throw new Error(result.message);
  };
}

function parseDigest(text: string): DigestJobPayload | null {
  try {
    const digest = JSON.parse(text) as DigestJobPayload | null;
    return digest?.kind === "digest" && digest.email ? digest : null;
  } catch {
    return null;
  }
}
