import { writeTransaction } from "../db-direct.server";
import { PermanentError, RetryLaterError, describeError } from "../queue/errors";
import { maxAttemptsFor } from "../queue/backoff";
import type { JobRecord } from "../queue/jobs.server";
import { recordWebhookIds, saveBackfillProgress, sourceConnectionStatus, sourceCredentials } from "../models/source-connection.server";
import { applySourceRecords } from "./apply.server";
import { sourceById } from "./registry.server";
import { sourceWebhookAddress } from "./connect.server";

/**
 * Queue "source", one job per connection: register the shop's webhooks at the vendor (once),
 * then import its history a page at a time. Progress is saved after each page, so a retry
 * (after an outage, a 429 or a killed worker) resumes where the last run stopped.
 */
export async function runSourceJob(job: JobRecord, now: Date = new Date()): Promise<void> {
  const { source: sourceId } = JSON.parse(job.payload) as { source: string };
  const source = sourceById(sourceId);
  if (!source?.connector) throw new PermanentError(`unknown source ${sourceId}`);
  const credentials = await sourceCredentials(job.shop, sourceId);
  if (!credentials) return; // disconnected since it was queued
  const status = await sourceConnectionStatus(job.shop, sourceId);
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
        await writeTransaction((db) => applySourceRecords(db, job.shop, source, records, now));
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
