import { writeTransaction } from "../db-direct.server";
import { PermanentError, RetryLaterError, describeError } from "../queue/errors";
import { maxAttemptsFor, retryDelayMs } from "../queue/backoff";
import type { JobRecord } from "../queue/jobs.server";
import type { SourceDefinition } from "./definition";
import { recordWebhookIds, saveBackfillProgress, sourceConnectionStatus, sourceCredentials } from "../models/source-connection.server";
import { applyEnrichedRecords, applySourceRecords } from "./apply.server";
import { sourceById } from "./registry.server";
import { sourceWebhookAddress } from "./connect.server";

/**
 * Queue "source". A job with a `kind` is an enrichment (a later read of the vendor's API that
 * a record asked for: runEnrichment, below). The one without is the connection's setup:
 * register the shop's webhooks at the vendor (once), then import its history a page at a
 * time. Progress is saved after each page, so a retry (after an outage, a 429 or a killed
 * worker) resumes where the last run stopped.
 */
export async function runSourceJob(job: JobRecord, now: Date = new Date()): Promise<void> {
  const payload = JSON.parse(job.payload) as { source: string; kind?: unknown };
  const sourceId = payload.source;
  const source = sourceById(sourceId);
  if (!source?.connector) throw new PermanentError(`unknown source ${sourceId}`);
  const credentials = await sourceCredentials(job.shop, sourceId);
  if (!credentials) return; // disconnected since it was queued
  const status = await sourceConnectionStatus(job.shop, sourceId);
  if (payload.kind !== undefined) return runEnrichment(job, source, credentials, status.backfillStatus, payload, now);
  const ctx = { shop: job.shop, credentials, webhookAddress: sourceWebhookAddress(job.shop, sourceId), now };
  let progress = status.backfillProgress;
  try {
    if (source.connector.registerWebhooks && !progress.webhooksAt) {
      const ids = await source.connector.registerWebhooks(ctx);
      await recordWebhookIds(job.shop, sourceId, ids);
      progress = { ...progress, webhooksAt: now.toISOString() };
      await saveBackfillProgress(job.shop, sourceId, { progress });
    }
    if (!source.connector.backfill) {
      await saveBackfillProgress(job.shop, sourceId, { status: "done", at: now });
      return;
    }
    await saveBackfillProgress(job.shop, sourceId, { status: "running", error: null });
    const webhooksSince = new Date(typeof progress.webhooksAt === "string" ? progress.webhooksAt : (status.connectedAt ?? now).toISOString());
    await source.connector.backfill({
      shop: job.shop,
      credentials,
      now,
      webhooksSince,
      progress,
      savePage: async (records, next) => {
        await writeTransaction((db) => applySourceRecords(db, job.shop, source, records, now, "import"));
        progress = { ...next, webhooksAt: progress.webhooksAt };
        await saveBackfillProgress(job.shop, sourceId, { progress });
      },
    });
    await saveBackfillProgress(job.shop, sourceId, { status: "done", at: now, error: null });
  } catch (error) {
    // A wait the import asked for itself (the next slice, the vendor's rate limit) is not an error to show.
    if (error instanceof RetryLaterError && !error.countsAsAttempt) {
      await saveBackfillProgress(job.shop, sourceId, { status: "running", error: null });
      throw error;
    }
    const final = error instanceof PermanentError || job.attempts >= maxAttemptsFor(job.queue);
    await saveBackfillProgress(job.shop, sourceId, { status: final ? "failed" : "running", error: describeError(error) });
    throw error;
  }
}

/**
 * One enrichment: what the vendor's API tells now, written in as its records say (apply).
 * It leaves the connection's import status alone, and waits for the connection's setup to
 * finish: the import's pages and these reads share the vendor's rate limit, and the import
 * goes first. The timeline already stands on the delivery, so an outage only delays it:
 * asked again after a minute, doubling to an hour (about two hours of outage before it is
 * given up and shown), not within seconds, which would spend that shared rate limit.
 */
async function runEnrichment(job: JobRecord, source: SourceDefinition, credentials: Record<string, string>, setup: string, payload: Record<string, unknown>, now: Date): Promise<void> {
  const { source: _, kind, subscriberId, ...rest } = payload;
  if (typeof kind !== "string" || !source.connector?.enrich) throw new PermanentError(`${source.name} has no enrichment ${String(kind)}`);
  if (setup === "pending" || setup === "running") {
    throw new RetryLaterError(60_000, `Waiting for the ${source.name} import to finish before reading more from ${source.name}.`, { countsAsAttempt: false });
  }
  const ctx = { shop: job.shop, credentials, webhookAddress: sourceWebhookAddress(job.shop, source.id), now };
  let records;
  try {
    records = await source.connector.enrich(ctx, { kind, payload: rest });
  } catch (error) {
    if (error instanceof PermanentError || error instanceof RetryLaterError) throw error;
    throw new RetryLaterError(retryDelayMs(job.attempts, 60_000), describeError(error), { cause: error });
  }
  await writeTransaction((db) => applyEnrichedRecords(db, job.shop, source, records, typeof subscriberId === "string" ? subscriberId : null));
}
