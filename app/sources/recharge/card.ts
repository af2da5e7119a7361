/**
 * The card behind a Recharge customer: their webhooks say only that a payment method
 * changed (customer/payment_method_updated carries the customer object, which has no card),
 * so its expiry is read afterwards from `GET /payment_methods?customer_id=` (card.server.ts).
 * This module decides when to read it and reads the answer. Pure: no I/O.
 *
 * Read when a delivery names a payment-method change (again on each change, at once), or
 * names a customer for the first time (once, after FIRST_READ_DELAY_MS). Not for the history
 * import: Recharge documents a payment-method filter for one customer only, so the import
 * would cost one request per customer (an account of 10,000 customers: over 80 minutes of the
 * token's bucket, with the shop's other Recharge work waiting behind it). An imported
 * customer's card is read after the first delivery that names them (an active subscriber's
 * next charge at the latest).
 */
import { z } from "zod";
import type { EnrichmentRequest, RecordOrigin } from "../definition";
import type { SourceCustomer, SourceRecord } from "../types";
import { rechargeId, rechargeTime } from "./schemas";

export const CARD_ENRICHMENT = "card";

/**
 * A customer's first read waits this long: nothing changed, and after an import every active
 * subscriber's next charge names them, so these reads yield to the ones changes ask for.
 */
export const FIRST_READ_DELAY_MS = 10 * 60_000;

/**
 * What the card job is handed: whose card. One job per customer, queued again on each change
 * with the payload it was first queued with, so it names no change: the card read belongs to
 * the customer's latest payment-method change on the timeline (apply.server.ts).
 */
export interface CardRequest {
  customerId: string;
  customer: { shopifyCustomerId: string | null; email: string | null };
  /** When the first record named them: the card's date when no change is on the timeline. */
  since: string;
}

export function cardEnrichmentsFor(record: SourceRecord, origin: RecordOrigin): EnrichmentRequest[] {
  const customerId = record.customer.vendorCustomerId;
  if (origin !== "delivery" || !customerId) return [];
  const changed = record.events.some((e) => e.type === "payment_method.updated" || e.type === "payment_method.revoked");
  const request: CardRequest = {
    customerId,
    customer: { shopifyCustomerId: record.customer.shopifyCustomerId, email: record.customer.email },
    since: record.asOf.toISOString(),
  };
  return [{ kind: CARD_ENRICHMENT, subject: customerId, payload: { ...request }, again: changed, ...(changed ? {} : { delayMs: FIRST_READ_DELAY_MS }) }];
}

export function readCardRequest(payload: Record<string, unknown>): CardRequest | null {
  const parsed = cardRequest.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

const cardRequest = z.object({
  customerId: z.string().regex(/^\d+$/),
  customer: z.object({ shopifyCustomerId: z.string().nullable(), email: z.string().nullable() }),
  since: z.string().refine((v) => !Number.isNaN(Date.parse(v))),
});

const month = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const details = z.object({ exp_month: month.nullish(), exp_year: month.nullish() }).passthrough();

/**
 * A payment method as Recharge lists it, read loosely: the only sample is a hand-written
 * fixture (fixtures/recharge/payment-methods.list.json), where payment_details is a list of
 * one; Recharge's storefront types describe a single object. Both are read. Only the expiry
 * is kept, never the brand or digits.
 */
const paymentMethod = z
  .object({
    id: rechargeId,
    customer_id: rechargeId.nullish(),
    default: z.union([z.boolean(), z.literal(1), z.literal(0)]).nullish(),
    payment_details: z.union([details, z.array(details)]).nullish(),
    updated_at: z.string().nullish(),
  })
  .passthrough();

/**
 * The card Recharge charges: the default method, else the most recently updated one. Null
 * when that method has no card expiry (PayPal, a wallet) or the customer has no method.
 */
export function cardOf(methods: unknown[], customerId: string): { month: number; year: number } | null {
  const read = methods
    .map((m) => paymentMethod.safeParse(m))
    .flatMap((r) => (r.success && (r.data.customer_id == null || r.data.customer_id === customerId) ? [r.data] : []));
  const updated = (m: (typeof read)[number]) => rechargeTime(m.updated_at)?.getTime() ?? 0;
  const chosen = read.find((m) => m.default === true || m.default === 1) ?? [...read].sort((a, b) => updated(b) - updated(a))[0];
  const d = Array.isArray(chosen?.payment_details) ? chosen.payment_details[0] : chosen?.payment_details;
  const m = d?.exp_month ?? null;
  let y = d?.exp_year ?? null;
  if (m === null || y === null || m < 1 || m > 12) return null;
  if (y < 100) y += 2000;
  return { month: m, year: y };
}

/** What the read tells, as a record: the customer's card now (null: none with an expiry). */
export function cardRecord(request: CardRequest, card: { month: number; year: number } | null): SourceRecord {
  const customer: SourceCustomer = { ...request.customer, vendorCustomerId: request.customerId };
  return { contractId: null, customer, asOf: new Date(request.since), events: [], card };
}
