/**
 * A shop's connections to subscription apps (app/sources/<id>/). Credentials are stored
 * only sealed (ENCRYPTION_KEY, bound to the shop) and read back only by the server:
 * nothing this module returns to a page carries them.
 */
import prisma from "../db.server";
import { directDb, perConnection, withRetry } from "../db-direct.server";
import { open, seal } from "../crypto/secret-box.server";

export interface SourceConnectionStatus {
  source: string;
  connected: boolean;
  connectedAt: Date | null;
  webhooksRegistered: number;
  backfillStatus: string;
  backfillProgress: Record<string, unknown>;
  backfillError: string | null;
  backfillAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export async function saveSourceCredentials(shop: string, source: string, credentials: Record<string, string>, now: Date): Promise<void> {
  const encryptedCredentials = seal(JSON.stringify(credentials), `${shop}:${source}`);
  await prisma.sourceConnection.upsert({
    where: { shop_source: { shop, source } },
    create: { shop, source, encryptedCredentials, connectedAt: now },
    update: { encryptedCredentials, connectedAt: now, lastError: null, lastErrorAt: null },
  });
}

const statements = perConnection((db) => ({
  credentials: db.prepare(`SELECT "encryptedCredentials" FROM "SourceConnection" WHERE "shop" = ? AND "source" = ?`),
}));

/**
 * The shop's credentials for a source, or null when it is not connected. Read from the
 * row every time (a connection saved or removed by another process counts at once), on
 * the direct connection: this is on every vendor delivery's acknowledgement, where the
 * ORM's query cost was most of one and opening the sealed value is a few microseconds.
 */
export async function sourceCredentials(shop: string, source: string): Promise<Record<string, string> | null> {
  const db = directDb();
  const row = (await withRetry(() => statements(db).credentials.get(shop, source))) as { encryptedCredentials: string } | undefined;
  if (!row) return null;
  return JSON.parse(open(row.encryptedCredentials, `${shop}:${source}`)) as Record<string, string>;
}

export async function sourceConnectionStatus(shop: string, source: string): Promise<SourceConnectionStatus> {
  const row = await prisma.sourceConnection.findUnique({ where: { shop_source: { shop, source } } });
  return {
    source,
    connected: row !== null,
    connectedAt: row?.connectedAt ?? null,
    webhooksRegistered: row ? (JSON.parse(row.webhookIds) as string[]).length : 0,
    backfillStatus: row?.backfillStatus ?? "pending",
    backfillProgress: row ? (JSON.parse(row.backfillProgress) as Record<string, unknown>) : {},
    backfillError: row?.backfillError ?? null,
    backfillAt: row?.backfillAt ?? null,
    lastError: row?.lastError ?? null,
    lastErrorAt: row?.lastErrorAt ?? null,
  };
}

export async function connectedSources(shop: string): Promise<string[]> {
  const rows = await prisma.sourceConnection.findMany({ where: { shop }, select: { source: true }, orderBy: { source: "asc" } });
  return rows.map((r) => r.source);
}

export async function recordWebhookIds(shop: string, source: string, ids: string[]): Promise<void> {
  await prisma.sourceConnection.updateMany({ where: { shop, source }, data: { webhookIds: JSON.stringify(ids) } });
}

export async function webhookIdsOf(shop: string, source: string): Promise<string[]> {
  const row = await prisma.sourceConnection.findUnique({ where: { shop_source: { shop, source } }, select: { webhookIds: true } });
  return row ? (JSON.parse(row.webhookIds) as string[]) : [];
}

/** A call to the vendor failed for good (test, registration, import): shown on the connection's status line. */
export async function recordSourceError(shop: string, source: string, error: string | null, at: Date): Promise<void> {
  await prisma.sourceConnection.updateMany({ where: { shop, source }, data: { lastError: error?.slice(0, 500) ?? null, lastErrorAt: error ? at : null } });
}

export async function saveBackfillProgress(
  shop: string,
  source: string,
  data: { status?: string; progress?: Record<string, unknown>; error?: string | null; at?: Date | null },
): Promise<void> {
  await prisma.sourceConnection.updateMany({
    where: { shop, source },
    data: {
      ...(data.status ? { backfillStatus: data.status } : {}),
      ...(data.progress ? { backfillProgress: JSON.stringify(data.progress) } : {}),
      ...(data.error !== undefined ? { backfillError: data.error } : {}),
      ...(data.at !== undefined ? { backfillAt: data.at } : {}),
    },
  });
}

/** Disconnecting forgets the credentials; what was imported stays, as the merchant's history. */
export async function deleteSourceConnection(shop: string, source: string): Promise<void> {
  await prisma.sourceConnection.deleteMany({ where: { shop, source } });
}
