import { z } from "zod";

/**
 * Webhook payloads as Shopify sends them, validated loosely on purpose: extra fields
 * pass through, ids may be null, error codes may be lower case or unknown. Only what
 * Lifeline reads is required.
 */
const numericId = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
const nullableId = numericId.nullish().transform((v) => v ?? null);

const policy = z
  .object({ interval: z.string(), interval_count: z.number() })
  .passthrough()
  .nullish();

export const contractPayload = z
  .object({
    id: numericId,
    customer_id: numericId,
    status: z.string().transform((s) => s.toLowerCase()),
    revision_id: z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? null : String(v))),
    currency_code: z.string().nullish(),
    billing_policy: policy,
    delivery_policy: policy,
  })
  .passthrough();
export type ContractPayload = z.infer<typeof contractPayload>;

export const billingAttemptPayload = z
  .object({
    id: nullableId,
    idempotency_key: z.string().nullish(),
    subscription_contract_id: numericId,
    order_id: nullableId,
    ready: z.boolean().nullish(),
    error_code: z.string().nullish(),
    error_message: z.string().nullish(),
  })
  .passthrough();
export type BillingAttemptPayload = z.infer<typeof billingAttemptPayload>;

export const billingCyclePayload = z
  .object({
    subscription_contract_id: numericId,
    cycle_index: z.number().int(),
    skipped: z.boolean().nullish(),
    edited: z.boolean().nullish(),
    billing_attempt_expected_date: z.string().nullish(),
  })
  .passthrough();
export type BillingCyclePayload = z.infer<typeof billingCyclePayload>;

export const paymentMethodPayload = z
  .object({
    customer_id: numericId,
    admin_graphql_api_id: z.string().nullish(),
    instrument_type: z.string().nullish(),
    payment_instrument: z
      .object({ month: z.number().int().nullish(), year: z.number().int().nullish() })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type PaymentMethodPayload = z.infer<typeof paymentMethodPayload>;

export const customerRedactPayload = z
  .object({
    customer: z.object({ id: numericId }).passthrough(),
    shop_domain: z.string().nullish(),
  })
  .passthrough();

export const dataRequestPayload = z
  .object({
    customer: z.object({ id: numericId }).passthrough(),
    data_request: z.object({ id: numericId }).passthrough(),
  })
  .passthrough();

/** shop/update: the shop's REST resource; Lifeline keeps its currency, IANA time zone and owner email. */
export const shopUpdatePayload = z
  .object({
    currency: z.string(),
    iana_timezone: z.string(),
    email: z.string().nullish(),
  })
  .passthrough();

/** Every topic Lifeline handles, in the lower-case slash form of X-Shopify-Topic. */
export const TOPICS = [
  "subscription_contracts/create",
  "subscription_contracts/update",
  "subscription_contracts/activate",
  "subscription_contracts/pause",
  "subscription_contracts/cancel",
  "subscription_contracts/expire",
  "subscription_contracts/fail",
  "subscription_billing_attempts/success",
  "subscription_billing_attempts/failure",
  "subscription_billing_attempts/challenged",
  "subscription_billing_cycles/skip",
  "subscription_billing_cycles/unskip",
  "subscription_billing_cycle_edits/create",
  "subscription_billing_cycle_edits/update",
  "subscription_billing_cycle_edits/delete",
  "customer_payment_methods/create",
  "customer_payment_methods/update",
  "customer_payment_methods/revoke",
  "app/uninstalled",
  "shop/update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  // Not Shopify's: tickets a shop's helpdesk posts to /api/helpdesk/<shop>/tickets.
  "helpdesk/ticket_created",
] as const;
export type Topic = (typeof TOPICS)[number];

/** Accepts either header form ("subscription_contracts/create" or "SUBSCRIPTION_CONTRACTS_CREATE"). */
export function normaliseTopic(raw: string): Topic | null {
  const lower = raw.trim().toLowerCase();
  const direct = TOPICS.find((t) => t === lower);
  if (direct) return direct;
  return TOPICS.find((t) => t.replace("/", "_") === lower) ?? null;
}
