/**
 * The history import from Recharge: every subscription, then the past charges (paid,
 * failed, skipped), in cursor pages of 250, each page written with the progress after it
 * (run.savePage), so a rerun after a kill, an outage or a slice's end resumes at the
 * saved cursor. Records are idempotent by Recharge's own ids, so the page that was in
 * flight when a run stopped adds nothing when it is read again.
 *
 * Whose subscription: Recharge's subscription names only its customer_id, while Lifeline
 * matches subscribers by Shopify customer id, else email. Each page's customers are read
 * with it, in one request (`GET /customers?ids=<the page's customer ids>`), so every
 * subscription is written already matched. The alternatives were worse: a map of every
 * customer in the progress grows with the store (a 100,000-subscriber account would
 * rewrite megabytes after each page), and writing customers first as records without a
 * contract would leave the subscriptions, which carry no Shopify id, on separate
 * placeholder subscribers. The `ids` filter of /customers is known from secondary
 * sources only (fixtures/recharge/SOURCES.md documents cursors, not filters); should
 * Recharge answer without a customer asked for, that subscription is written under its
 * Recharge customer id, and the subscriber is matched when its charges (which carry the
 * customer's Shopify id and email) are imported next.
 *
 * History is dated by the objects' own times (a charge's processed_at, a subscription's
 * created_at and cancelled_at: map.ts), never by when the import ran. An object Recharge
 * would not send (missing ids or dates) is counted and skipped, never fatal.
 */
import { RetryLaterError } from "../../queue/errors";
import type { BackfillRun } from "../definition";
import { SourcePayloadError, type SourceRecord } from "../types";
import { RECHARGE_PAGE_LIMIT, createRechargeClient, type RechargeClientOptions } from "./api.server";
import { recordsFromCharge, recordsFromSubscription } from "./map";

/** The import's stages, in order; each charges stage reads one status. */
export const BACKFILL_STAGES = ["subscriptions", "charges:success", "charges:error", "charges:skipped", "done"] as const;
export type BackfillStage = (typeof BACKFILL_STAGES)[number];

/** What the merchant sees of the import, and where it resumes. */
export interface RechargeBackfillProgress {
  stage: BackfillStage;
  /** The next page of the stage; null for its first. */
  cursor: string | null;
  pages: number;
  counts: { subscriptions: number; customers: number; paidCharges: number; failedCharges: number; skippedCharges: number; malformed: number };
}

export interface RechargeBackfillOptions {
  client?: RechargeClientOptions;
  /**
   * A run stops after this long (at a saved page) and asks the queue to run it again at
   * once: a long import never outlives the worker's lease (5 min), after which another
   * worker would take the job for abandoned and run it twice. Default 2 min.
   */
  sliceMs?: number;
  /** The clock the slice is measured by (tests). */
  nowMs?: () => number;
}

const CHARGE_COUNT: Record<string, keyof RechargeBackfillProgress["counts"]> = {
  "charges:success": "paidCharges",
  "charges:error": "failedCharges",
  "charges:skipped": "skippedCharges",
};

export function readBackfillProgress(raw: Record<string, unknown>): RechargeBackfillProgress {
  const stage = BACKFILL_STAGES.find((s) => s === raw.stage) ?? "subscriptions";
  const counts = (typeof raw.counts === "object" && raw.counts !== null ? raw.counts : {}) as Record<string, unknown>;
  const n = (k: string) => (typeof counts[k] === "number" && Number.isFinite(counts[k]) ? (counts[k] as number) : 0);
  return {
    stage,
    cursor: typeof raw.cursor === "string" && raw.cursor !== "" ? raw.cursor : null,
    pages: typeof raw.pages === "number" ? raw.pages : 0,
    counts: {
      subscriptions: n("subscriptions"),
      customers: n("customers"),
      paidCharges: n("paidCharges"),
      failedCharges: n("failedCharges"),
      skippedCharges: n("skippedCharges"),
      malformed: n("malformed"),
    },
  };
}

export async function backfillRecharge(run: BackfillRun, options: RechargeBackfillOptions = {}): Promise<void> {
  const client = createRechargeClient(run.credentials.accessToken ?? "", options.client);
  const nowMs = options.nowMs ?? Date.now;
  const sliceMs = options.sliceMs ?? 120_000;
  const started = nowMs();
  const mapOptions = { webhooksSince: run.webhooksSince };
  let progress = readBackfillProgress(run.progress);

  while (progress.stage !== "done") {
    const stage = progress.stage;
    const status = stage.startsWith("charges:") ? stage.slice("charges:".length) : null;
    const page = await client.list(status ? "charges" : "subscriptions", {
      cursor: progress.cursor,
      filters: status ? { status } : {},
      limit: RECHARGE_PAGE_LIMIT,
    });
    const counts = { ...progress.counts };
    const records: SourceRecord[] = [];
    const keep = (make: () => SourceRecord[]) => {
      try {
        const made = make();
        if (made.some((r) => !r.customer.shopifyCustomerId && !r.customer.email && !r.customer.vendorCustomerId)) throw new SourcePayloadError("names no customer");
        records.push(...made);
        return true;
      } catch (error) {
        if (!(error instanceof SourcePayloadError)) throw error;
        counts.malformed += 1;
        return false;
      }
    };
    if (status) {
      for (const charge of page.items) if (keep(() => recordsFromCharge(charge, null, mapOptions))) counts[CHARGE_COUNT[stage]] += 1;
    } else {
      const customers = await customersOf(client, page.items);
      counts.customers += customers.size;
      for (const subscription of page.items) {
        const customer = customers.get(customerIdOf(subscription) ?? "") ?? null;
        if (keep(() => recordsFromSubscription(subscription, customer, null, mapOptions))) counts.subscriptions += 1;
      }
    }
    const next = page.nextCursor;
    const stageAfter = next ? stage : BACKFILL_STAGES[BACKFILL_STAGES.indexOf(stage) + 1];
    progress = { stage: stageAfter, cursor: next, pages: progress.pages + 1, counts };
    await run.savePage(records, { ...progress });
    if (progress.stage !== "done" && nowMs() - started >= sliceMs) {
      throw new RetryLaterError(0, `The Recharge import continues from page ${progress.pages + 1} (it runs in slices of ${Math.round(sliceMs / 1000)} s).`, {
        countsAsAttempt: false,
      });
    }
  }
}

function customerIdOf(subscription: unknown): string | null {
  const id = typeof subscription === "object" && subscription !== null ? (subscription as { customer_id?: unknown }).customer_id : null;
  return (typeof id === "number" && Number.isInteger(id)) || (typeof id === "string" && /^\d+$/.test(id)) ? String(id) : null;
}

/** The customers of a page of subscriptions, in one request, by Recharge customer id. */
async function customersOf(client: ReturnType<typeof createRechargeClient>, subscriptions: unknown[]): Promise<Map<string, unknown>> {
  const ids = [...new Set(subscriptions.map(customerIdOf).filter((id): id is string => id !== null))];
  const found = new Map<string, unknown>();
  if (ids.length === 0) return found;
  const page = await client.list("customers", { filters: { ids: ids.join(",") }, limit: RECHARGE_PAGE_LIMIT });
  const wanted = new Set(ids);
  for (const customer of page.items) {
    const id = customerIdOf({ customer_id: (customer as { id?: unknown } | null)?.id });
    if (id !== null && wanted.has(id)) found.set(id, customer);
  }
  return found;
}
