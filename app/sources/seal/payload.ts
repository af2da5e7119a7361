/**
 * A Seal subscription as its webhooks and its list endpoint carry it: one flat object
 * (see README.md beside this file for each field's source and confidence). Strict about
 * what identifies it (a numeric `id`, a status Seal is known to send), loose about the
 * rest: an optional field that is missing, empty ("" is Seal's "none") or of another type
 * reads as absent, and fields Lifeline does not read pass by. Pure.
 */
import { z } from "zod";
import { SourcePayloadError } from "../types";

export type SealStatus = "ACTIVE" | "PAUSED" | "CANCELLED";
const STATUSES: readonly SealStatus[] = ["ACTIVE", "PAUSED", "CANCELLED"];

export interface SealItem {
  title: string;
  quantity: number;
  /** Per unit, per delivery, after discounts (final_price, else price). */
  price: number;
  oneTime: boolean;
}

export interface SealAttempt {
  id: string | null;
  /** The attempt's scheduled date. */
  date: Date | null;
  /** When it was charged or refused, when the body says (completed_at). */
  completedAt: Date | null;
  /** Lower case: "" (scheduled), "succeeded", "failed", ... */
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface SealSubscription {
  id: string;
  status: SealStatus;
  shopifyCustomerId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  shopifyContractId: string | null;
  currency: string | null;
  orderPlaced: Date | null;
  deliveryInterval: string | null;
  billingInterval: string | null;
  cancelledOn: Date | null;
  /** As sent, for keys: the same cancellation reads the same in every body. */
  cancelledOnRaw: string | null;
  pausedOn: Date | null;
  pausedOnRaw: string | null;
  card: { month: number; year: number } | null;
  /** undefined: the body did not carry items (a list page read without with-items). */
  items: SealItem[] | undefined;
  attempts: SealAttempt[] | undefined;
  /** Times of the activity log's entries. */
  logTimes: Date[];
}

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .catch(null)
  .transform((v) => (v == null || String(v).trim() === "" ? null : String(v).trim()));
const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

const body = z
  .object({
    id: numericId,
    status: z.string(),
    customer_id: text,
    email: text,
    first_name: text,
    last_name: text,
    shopify_graphql_subscription_contract_id: text,
    currency: text,
    order_placed: text,
    delivery_interval: text,
    billing_interval: text,
    cancelled_on: text,
    paused_on: text,
    card_expiry_month: text,
    card_expiry_year: text,
    items: z.array(z.unknown()).optional().catch(undefined),
    billing_attempts: z.array(z.unknown()).optional().catch(undefined),
    log: z.array(z.unknown()).optional().catch(undefined),
  })
  .passthrough();

const item = z
  .object({ title: text, quantity: z.coerce.number().catch(1), price: text, final_price: text, is_one_time_item: z.unknown().optional() })
  .passthrough();
const attempt = z
  .object({ id: text, date: text, completed_at: text, status: text, error_code: text, error_message: text })
  .passthrough();
const logEntry = z.object({ created: text }).passthrough();

/** Reads one subscription; throws SourcePayloadError naming what is wrong when it is not one. */
export function readSubscription(payload: unknown): SealSubscription {
  const parsed = body.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
    throw new SourcePayloadError(`not a Seal subscription: ${problems}`);
  }
  const p = parsed.data;
  const status = p.status.trim().toUpperCase() as SealStatus;
  if (!STATUSES.includes(status)) throw new SourcePayloadError(`status ${JSON.stringify(p.status)} is not one Seal is known to send (ACTIVE, PAUSED, CANCELLED)`);
  return {
    id: p.id,
    status,
    shopifyCustomerId: shopifyId(p.customer_id),
    email: p.email,
    firstName: p.first_name,
    lastName: p.last_name,
    shopifyContractId: shopifyId(p.shopify_graphql_subscription_contract_id),
    currency: p.currency?.toUpperCase() ?? null,
    orderPlaced: sealTime(p.order_placed),
    deliveryInterval: p.delivery_interval,
    billingInterval: p.billing_interval,
    cancelledOn: sealTime(p.cancelled_on),
    cancelledOnRaw: p.cancelled_on,
    pausedOn: sealTime(p.paused_on),
    pausedOnRaw: p.paused_on,
    card: cardOf(p.card_expiry_month, p.card_expiry_year),
    items: p.items?.flatMap((raw) => {
      const i = item.safeParse(raw);
      if (!i.success || !i.data.title) return [];
      const price = Number(i.data.final_price ?? i.data.price ?? NaN);
      return Number.isFinite(price) ? [{ title: i.data.title, quantity: i.data.quantity, price, oneTime: isTrue(i.data.is_one_time_item) }] : [];
    }),
    attempts: p.billing_attempts?.flatMap((raw) => {
      const a = attempt.safeParse(raw);
      if (!a.success) return [];
      return [
        {
          id: a.data.id,
          date: sealTime(a.data.date),
          completedAt: sealTime(a.data.completed_at),
          status: (a.data.status ?? "").toLowerCase(),
          errorCode: a.data.error_code,
          errorMessage: a.data.error_message,
        },
      ];
    }),
    logTimes: (p.log ?? []).flatMap((raw) => {
      const entry = logEntry.safeParse(raw);
      const at = entry.success ? sealTime(entry.data.created) : null;
      return at ? [at] : [];
    }),
  };
}

/** Shopify's numeric id, from digits or a gid://shopify/<Type>/<digits>. */
function shopifyId(value: string | null): string | null {
  if (!value) return null;
  const m = /^(?:gid:\/\/shopify\/\w+\/)?(\d+)$/.exec(value);
  return m ? m[1] : null;
}

/**
 * Seal's times: ISO 8601 with an offset ("2025-11-11T16:52:28+01:00"), or the log's
 * "2025-11-11 15:52:43" with none, which is UTC (the capture's log entry is 15 s after its
 * order_placed read as UTC).
 */
export function sealTime(value: string | null): Date | null {
  if (!value) return null;
  const plain = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(value);
  const ms = Date.parse(plain ? `${plain[1]}T${plain[2]}Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function cardOf(month: string | null, year: string | null): { month: number; year: number } | null {
  const m = Number(month);
  const y = Number(year);
  if (!Number.isInteger(m) || m < 1 || m > 12 || !Number.isInteger(y) || y < 2000) return null;
  return { month: m, year: y };
}

const isTrue = (v: unknown) => v === true || v === 1 || v === "1" || v === "true";
