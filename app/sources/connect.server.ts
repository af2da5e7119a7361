/**
 * Connecting a shop to a subscription app: the credentials are checked with the vendor
 * before they are stored (sealed), then one durable job registers the shop's webhooks at
 * the vendor and imports its history. Disconnecting removes the webhooks where the vendor
 * has an API for it and forgets the credentials; the history already imported stays.
 */
import prisma from "../db.server";
import { config } from "../config.server";
import { enqueueAgain } from "../queue/jobs.server";
import { notifyWorkers } from "../queue/jobs.server";
import { describeError } from "../queue/errors";
import {
  deleteSourceConnection,
  recordSourceError,
  saveBackfillProgress,
  saveSourceCredentials,
  sourceCredentials,
  webhookIdsOf,
} from "../models/source-connection.server";
import type { ConnectorContext, SourceDefinition, TestResult } from "./definition";
import { sourceById } from "./registry.server";

export function sourceWebhookAddress(shop: string, sourceId: string): string {
  return `${config().SHOPIFY_APP_URL.replace(/\/$/, "")}/api/sources/${sourceId}/${shop}`;
}

export function sourceJobKey(shop: string, sourceId: string): string {
  return `source-setup:${shop}:${sourceId}`;
}

function contextFor(shop: string, source: SourceDefinition, credentials: Record<string, string>, now: Date): ConnectorContext {
  return { shop, credentials, webhookAddress: sourceWebhookAddress(shop, source.id), now };
}

export type ConnectResult = { ok: true; message: string } | { ok: false; error: string; fieldErrors?: Record<string, string> };

/** Checks the credentials with the vendor, stores them sealed, and queues webhook registration and the history import. */
export async function connectSource(shop: string, sourceId: string, input: Record<string, string>, now: Date = new Date()): Promise<ConnectResult> {
  const source = sourceById(sourceId);
  if (!source?.connector) return { ok: false, error: "Lifeline has no connector for that app." };
  const credentials: Record<string, string> = {};
  const fieldErrors: Record<string, string> = {};
  for (const field of source.credentialFields) {
    const value = (input[field.key] ?? "").trim();
    if (value === "") fieldErrors[field.key] = `Enter the ${field.label}.`;
    else if (value.length > 500) fieldErrors[field.key] = `That is too long for a ${field.label}.`;
    else credentials[field.key] = value;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, error: "Some details are missing.", fieldErrors };
  let checked: TestResult;
  try {
    checked = await source.connector.testConnection(contextFor(shop, source, credentials, now));
  } catch (error) {
    checked = { ok: false, message: `Could not reach ${source.name}; try again in a minute. (${describeError(error)})` };
  }
  if (!checked.ok) return { ok: false, error: checked.message };
  await saveSourceCredentials(shop, source.id, credentials, now);
  await saveBackfillProgress(shop, source.id, { status: "pending", progress: {}, error: null, at: null });
  await enqueueAgain(prisma, { queue: "source", key: sourceJobKey(shop, source.id), shop, payload: { source: source.id }, runAt: now });
  notifyWorkers("source");
  return { ok: true, message: checked.message };
}

/** The merchant's "Test connection" on a connected source. */
export async function testSource(shop: string, sourceId: string, now: Date = new Date()): Promise<TestResult> {
  const source = sourceById(sourceId);
  const credentials = await sourceCredentials(shop, sourceId);
  if (!source?.connector || !credentials) return { ok: false, message: "Not connected." };
  try {
    const result = await source.connector.testConnection(contextFor(shop, source, credentials, now));
    await recordSourceError(shop, sourceId, result.ok ? null : result.message, now);
    return result;
  } catch (error) {
    const message = `Could not reach ${source.name}. (${describeError(error)})`;
    await recordSourceError(shop, sourceId, message, now);
    return { ok: false, message };
  }
}

/** Removes the shop's webhooks at the vendor (when it has an API for that), then forgets the credentials. */
export async function disconnectSource(shop: string, sourceId: string, now: Date = new Date()): Promise<{ warning: string | null }> {
  const source = sourceById(sourceId);
  const credentials = await sourceCredentials(shop, sourceId);
  let warning: string | null = null;
  if (source?.connector?.removeWebhooks && credentials) {
    const ids = await webhookIdsOf(shop, sourceId);
    try {
      // Also with no ids kept: a registration that failed part-way may have left webhooks the connector can find by address.
      await source.connector.removeWebhooks(contextFor(shop, source, credentials, now), ids);
    } catch (error) {
      warning = `Disconnected, but ${source.name} did not confirm the webhooks were removed: remove them in ${source.name} if they remain. (${describeError(error)})`;
    }
  }
  await prisma.job.deleteMany({ where: { queue: "source", key: sourceJobKey(shop, sourceId), status: { in: ["pending", "dead"] } } });
  await deleteSourceConnection(shop, sourceId);
  return { warning };
}
