/**
 * Delivers a weekly digest job (see digest.server.ts) to the store owner's Klaviyo
 * profile, by the plays' rules: wait while Klaviyo is not connected, take a token from
 * the shop's rate limiter, honour 429s without using an attempt, retry 5xx with the
 * queue's backoff, fail at once when Klaviyo refuses. The event's unique_id is
 * digest:<shop>:<week>, so a retry after a lost response cannot send the week twice.
 */
import { sendEvent } from "../klaviyo/client.server";
import type { KlaviyoRateLimiter } from "../klaviyo/rate-limit.server";
import { loadKlaviyoKey } from "../models/klaviyo-connection.server";
import { PermanentError, RetryLaterError } from "../queue/errors";
import type { JobRecord } from "../queue/jobs.server";
import type { DigestJobPayload } from "./digest.server";

export interface DigestDeliveryOptions {
  limiter: KlaviyoRateLimiter;
  basePath: string;
  timeoutMs?: number;
  waitForConnectionMs: number;
  waitingMessage: string;
}

export async function deliverDigest(job: JobRecord, options: DigestDeliveryOptions): Promise<void> {
  const digest = JSON.parse(job.payload) as DigestJobPayload;
  if (digest.kind !== "digest" || !digest.email) throw new PermanentError("not a digest job");
  const apiKey = await loadKlaviyoKey(job.shop);
  if (!apiKey) throw new RetryLaterError(options.waitForConnectionMs, options.waitingMessage, { countsAsAttempt: false });
  await options.limiter.acquire(job.shop, "events");
  const result = await sendEvent(
    apiKey,
    { metric: digest.metric, email: digest.email, properties: { ...digest.properties }, uniqueId: digest.uniqueId, time: new Date(digest.time) },
    { basePath: options.basePath, timeoutMs: options.timeoutMs },
  );
  if (result.ok) return;
  if (!result.retryable) throw new PermanentError(result.message);
  if (result.status === 429) throw new RetryLaterError(result.retryAfterMs ?? 1_000, result.message, { countsAsAttempt: false });
  if (result.retryAfterMs !== undefined) throw new RetryLaterError(result.retryAfterMs, result.message);
  throw new Error(result.message);
}
