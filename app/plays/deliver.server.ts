/**
 * The plays worker's job: deliver one PlayDelivery to Klaviyo.
 *
 * - Not connected yet: the play waits (re-checked every `waitForConnectionMs`, and
 *   woken at once when the merchant saves a key). Waiting uses no attempts and never
 *   dead-letters: a store that connects Klaviyo a week after install still gets its plays.
 * - Before each call a token is taken from the shop's rate limiter, so the worker stays
 *   under Klaviyo's limits instead of learning them from 429s. Waiting for a token is
 *   fine here because plays have their own worker; webhooks never queue behind them.
 * - Delivered: status sent, sentAt, and the firing's first action time.
 * - 429: retried exactly when Retry-After says, without using up an attempt.
 * - 5xx / network: retried with backoff; after the queue's last attempt the play is
 *   marked failed, visible to the merchant, and `retryPlay` sends it again.
 * - Refused (400/401/403...): failed at once, with Klaviyo's reason.
 * Every event carries its firing's unique_id, so a retry after a lost response, or a
 * worker that died after sending, cannot email anyone twice.
 */
import { config } from "../config.server";
import { sendEvent, updateProfileProperties, type KlaviyoResult } from "./klaviyo/client.server";
import { sharedKlaviyoRateLimiter, type KlaviyoRateLimiter } from "./klaviyo/rate-limit.server";
import { loadKlaviyoKey } from "../models/klaviyo-connection.server";
import { loadPlayToDeliver, markPlaySent, notePlayAttempt, type PlayToDeliver } from "../models/plays.server";
import { maxAttemptsFor } from "../queue/backoff";
import { PermanentError, RetryLaterError } from "../queue/errors";
import type { JobRecord } from "../queue/jobs.server";
import type { JobHandler } from "../queue/worker.server";

export const WAITING_FOR_KLAVIYO = "Waiting for Klaviyo to be connected.";

export interface PlayHandlerOptions {
  now?: () => Date;
  limiter?: KlaviyoRateLimiter;
  /** Defaults to KLAVIYO_API_BASE_URL, read when the job runs. */
  basePath?: string;
  timeoutMs?: number;
  /** How often a play waiting for a Klaviyo connection looks again; default 15 minutes. */
  waitForConnectionMs?: number;
}

export function createPlayHandler(options: PlayHandlerOptions = {}): JobHandler {
  const now = options.now ?? (() => new Date());
  const waitMs = options.waitForConnectionMs ?? 15 * 60_000;

  return async function deliverPlay(job: JobRecord): Promise<void> {
    const play = await loadPlayToDeliver(job.shop, job.key);
    // Gone with its subscriber (customer redacted), or delivered by an earlier run.
    if (!play || play.status === "sent") return;

    const apiKey = await loadKlaviyoKey(job.shop);
    if (!apiKey) {
      if (play.lastError !== WAITING_FOR_KLAVIYO) await notePlayAttempt(play.id, WAITING_FOR_KLAVIYO, "pending", false);
      throw new RetryLaterError(waitMs, WAITING_FOR_KLAVIYO, { countsAsAttempt: false });
    }
    if (!play.email) {
      const message = "The subscriber has no email address (or asked to be forgotten); nothing was sent.";
      await notePlayAttempt(play.id, message, "failed", false);
      throw new PermanentError(message);
    }

    const limiter = options.limiter ?? sharedKlaviyoRateLimiter();
    await limiter.acquire(job.shop, play.kind === "klaviyo_profile" ? "profiles" : "events");
    const result = await send(apiKey, play, play.email, now(), {
      basePath: options.basePath ?? config().KLAVIYO_API_BASE_URL,
      timeoutMs: options.timeoutMs,
    });

    if (result.ok) {
      await markPlaySent(play.id, play.firingId, now());
      return;
    }
    if (!result.retryable) {
      await notePlayAttempt(play.id, result.message, "failed");
      throw new PermanentError(result.message);
    }
    if (result.status === 429) {
      // Klaviyo asked us to slow down: not a failure of this play.
      await notePlayAttempt(play.id, result.message, "pending");
      throw new RetryLaterError(result.retryAfterMs ?? 1_000, result.message, { countsAsAttempt: false });
    }
    const lastAttempt = job.attempts >= maxAttemptsFor(job.queue);
    await notePlayAttempt(play.id, result.message, lastAttempt ? "failed" : "pending");
    if (result.retryAfterMs !== undefined) throw new RetryLaterError(result.retryAfterMs, result.message);
    throw new Error(result.message);
  };
}

function send(
  apiKey: string,
  play: PlayToDeliver,
  email: string,
  sentAt: Date,
  options: { basePath: string; timeoutMs?: number },
): Promise<KlaviyoResult> {
  const payload = JSON.parse(play.payload) as {
    metric?: string;
    properties: Record<string, unknown>;
    time?: string;
  };
  if (play.kind === "klaviyo_profile") return updateProfileProperties(apiKey, email, payload.properties, options);
  return sendEvent(
    apiKey,
    {
      metric: payload.metric ?? play.metric ?? "",
      email,
      properties: payload.properties,
      uniqueId: play.uniqueId,
      // Event payloads carry the firing's time; one without goes out as of the handler's clock.
      time: payload.time ? new Date(payload.time) : sentAt,
    },
    options,
  );
}
