/**
 * The simulated store as Recharge holds it: one Recharge customer per simulated subscriber,
 * one subscription per contract, one charge per billing cycle (its retries on the same
 * charge). The bodies have exactly the keys and value types of the 2021-11 objects in
 * fixtures/recharge/ (Airbyte's records, so "365"-style strings and 1/0 flags where those
 * have them). Ids are derived from the simulator's, so the same seed gives the same ids.
 */
import { createHash } from "node:crypto";
import { CONTRACT_ID_BASE } from "../subscriber-history";
import { isoSeconds } from "../options";
import type { SimLine, SimulatedContract, SimulatedSubscriber } from "../types";
import type { PaymentMethodState } from "./payment-methods";

export const RC_CUSTOMER_BASE = 60_000_000;
export const RC_ADDRESS_BASE = 69_000_000;
export const RC_SUBSCRIPTION_BASE = 150_000_000;
export const RC_CHARGE_BASE = 380_000_000_000;

export const rechargeCustomerId = (sub: SimulatedSubscriber) => RC_CUSTOMER_BASE + sub.index;
export const rechargeSubscriptionId = (c: SimulatedContract) => RC_SUBSCRIPTION_BASE + (c.id - CONTRACT_ID_BASE);
/** The n-th charge (from 1) of a subscription. */
export const rechargeChargeId = (c: SimulatedContract, n: number) => RC_CHARGE_BASE + (c.id - CONTRACT_ID_BASE) * 1000 + n;

export interface CustomerState {
  sub: SimulatedSubscriber;
  createdAt: number;
  updatedAt: number;
  /** The card Recharge charges (its expiry): the default payment method's. */
  card: { month: number; year: number } | null;
  /** Every payment method on file (payment-methods.ts). */
  methods: PaymentMethodState[];
  /** Charges of theirs in error now. */
  inDunning: number;
  active: number;
  total: number;
}

export type SubscriptionStatus = "active" | "paused" | "cancelled" | "expired";

export interface SubscriptionState {
  contract: SimulatedContract;
  customer: CustomerState;
  status: SubscriptionStatus;
  createdAt: number;
  updatedAt: number;
  cancelledAt: number | null;
  cancellationReason: string | null;
  lines: SimLine[];
  maxRetriesReached: boolean;
  nextChargeAt: number | null;
}

export interface ChargeState {
  id: number;
  subscription: SubscriptionState;
  status: "success" | "error" | "skipped";
  createdAt: number;
  updatedAt: number;
  scheduledAt: number;
  processedAt: number | null;
  /** Each failed attempt's time and processor message; empty for a charge that went through at once. */
  attempts: { at: number; message: string | null }[];
  errorType: string | null;
  orderId: number | null;
  /** The lines as charged. */
  lines: SimLine[];
}

/** Recharge's timestamps: seconds, with an explicit +00:00. */
export const rcTime = (ms: number) => isoSeconds(ms).replace(/Z$/, "+00:00");
export const rcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const money = (n: number) => n.toFixed(2);
const hex = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);
const digits = (s: string, n: number) => String(BigInt(`0x${hex(s, 15)}`) % 10n ** BigInt(n)).padStart(n, "1");
const perDelivery = (lines: readonly SimLine[]) => Math.round(lines.reduce((sum, l) => sum + l.price * l.quantity, 0) * 100) / 100;
const productId = (title: string) => digits(`product:${title}`, 13);
const variantId = (l: SimLine) => digits(`variant:${l.title}:${l.variantTitle ?? ""}`, 14);

/** The customer as of `atMs`: their card counts as valid through its expiry month. */
export function customerObject(c: CustomerState, atMs: number): Record<string, unknown> {
  const id = rechargeCustomerId(c.sub);
  const valid = c.card != null && atMs < Date.UTC(c.card.year, c.card.month, 1);
  return {
    id,
    analytics_data: { utm_params: [] },
    apply_credit_to_next_checkout_charge: false,
    apply_credit_to_next_recurring_charge: false,
    created_at: rcTime(c.createdAt),
    email: c.sub.email,
    external_customer_id: { ecommerce: String(c.sub.customerId) },
    first_charge_processed_at: rcTime(c.createdAt),
    first_name: c.sub.firstName,
    has_payment_method_in_dunning: c.inDunning > 0,
    has_valid_payment_method: valid,
    hash: hex(`customer:${id}`, 16),
    last_name: c.sub.lastName,
    phone: null,
    subscriptions_active_count: c.active,
    subscriptions_total_count: c.total,
    tax_exempt: false,
    updated_at: rcTime(c.updatedAt),
  };
}

/** One subscription per contract: its lines as one item priced at the delivery's total, quantity 1, named by the first line. */
export function subscriptionObject(s: SubscriptionState): Record<string, unknown> {
  const c = s.contract;
  const first = s.lines[0];
  const frequency = String(c.intervalCount);
  return {
    id: rechargeSubscriptionId(c),
    address_id: RC_ADDRESS_BASE + s.customer.sub.index,
    customer_id: rechargeCustomerId(s.customer.sub),
    analytics_data: { utm_params: [] },
    cancellation_reason: s.cancellationReason,
    cancellation_reason_comments: null,
    cancelled_at: s.cancelledAt == null ? null : rcTime(s.cancelledAt),
    charge_interval_frequency: frequency,
    created_at: rcTime(s.createdAt),
    expire_after_specific_number_of_charges: c.maxCycles,
    external_product_id: { ecommerce: productId(first.title) },
    external_variant_id: { ecommerce: variantId(first) },
    has_queued_charges: s.nextChargeAt != null ? 1 : 0,
    is_prepaid: false,
    is_skippable: true,
    is_swappable: false,
    max_retries_reached: s.maxRetriesReached ? 1 : 0,
    next_charge_scheduled_at: s.nextChargeAt == null ? null : rcDate(s.nextChargeAt),
    order_day_of_month: null,
    order_day_of_week: null,
    order_interval_frequency: frequency,
    order_interval_unit: c.interval,
    presentment_currency: c.currency,
    price: perDelivery(s.lines),
    product_title: first.title,
    properties: [],
    quantity: 1,
    sku: null,
    sku_override: false,
    status: s.status,
    updated_at: rcTime(s.updatedAt),
    variant_title: first.variantTitle,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Recharge's retry log, as in the sample: "None" then one "[May 13,  4:10PM] ['<message>']" line per attempt. */
function errorLog(attempts: ChargeState["attempts"]): string | null {
  if (attempts.length === 0) return null;
  const line = (a: ChargeState["attempts"][number]) => {
    const d = new Date(a.at);
    const h = d.getUTCHours() % 12 || 12;
    const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, "0")}, ${String(h).padStart(2, " ")}:${String(d.getUTCMinutes()).padStart(2, "0")}${d.getUTCHours() < 12 ? "AM" : "PM"}`;
    return ` [${stamp}] ['${a.message ?? "None"}']`;
  };
  return ["None", ...attempts.map(line)].join("\r\n");
}

function address(sub: SimulatedSubscriber): Record<string, unknown> {
  return {
    address1: `${100 + (sub.index % 900)} Main St`,
    address2: null,
    city: "Columbus",
    company: null,
    country_code: "US",
    first_name: sub.firstName,
    last_name: sub.lastName,
    phone: null,
    province: "Ohio",
    zip: "43004",
  };
}

function lineItem(ch: ChargeState): Record<string, unknown> {
  const first = ch.lines[0];
  const total = money(perDelivery(ch.lines));
  const image = (size: string) => `https://cdn.shopify.com/s/files/1/0000/0001/products/${productId(first.title)}${size ? `_${size}` : ""}.jpg`;
  return {
    purchase_item_id: rechargeSubscriptionId(ch.subscription.contract),
    external_product_id: { ecommerce: productId(first.title) },
    external_variant_id: { ecommerce: variantId(first) },
    grams: 0,
    handle: null,
    images: { large: image("large"), medium: image("medium"), original: image(""), small: image("small") },
    original_price: total,
    properties: [],
    purchase_item_type: "subscription",
    quantity: 1,
    sku: null,
    tax_due: "0.00",
    tax_lines: [],
    taxable: true,
    taxable_amount: total,
    title: first.title,
    total_price: total,
    unit_price: total,
    unit_price_includes_tax: false,
    variant_title: first.variantTitle,
  };
}

/**
 * A charge as the API returns it. A charge that failed at least once carries the retry
 * fields the error sample has (charge_attempts, last_charge_attempt, external_variant_not_found);
 * one that went through at once has the success sample's keys.
 */
export function chargeObject(ch: ChargeState): Record<string, unknown> {
  const sub = ch.subscription.customer.sub;
  const total = money(perDelivery(ch.lines));
  const failed = ch.attempts.length > 0;
  return {
    id: ch.id,
    address_id: RC_ADDRESS_BASE + sub.index,
    analytics_data: { utm_params: [] },
    billing_address: address(sub),
    ...(failed ? { charge_attempts: ch.attempts.length } : {}),
    client_details: { browser_ip: null, user_agent: null },
    created_at: rcTime(ch.createdAt),
    currency: ch.subscription.contract.currency,
    customer: { id: rechargeCustomerId(sub), email: sub.email, external_customer_id: { ecommerce: String(sub.customerId) }, hash: hex(`customer:${rechargeCustomerId(sub)}`, 16) },
    discounts: [],
    error: ch.status === "error" ? errorLog(ch.attempts) : null,
    error_type: ch.errorType,
    external_order_id: { ecommerce: ch.orderId == null ? null : String(ch.orderId) },
    ...(failed ? { external_variant_not_found: null } : {}),
    external_transaction_id: { payment_processor: ch.orderId == null ? null : digits(`transaction:${ch.id}`, 11) },
    has_uncommitted_changes: false,
    ...(failed ? { last_charge_attempt: rcTime(ch.attempts[ch.attempts.length - 1].at) } : {}),
    line_items: [lineItem(ch)],
    merged_at: null,
    note: null,
    order_attributes: [],
    orders_count: ch.status === "success" ? 1 : 0,
    payment_processor: "shopify_payments",
    processed_at: ch.processedAt == null ? null : rcTime(ch.processedAt),
    retry_date: null,
    scheduled_at: rcDate(ch.scheduledAt),
    shipping_address: address(sub),
    shipping_lines: [{ code: "Standard", price: "0.00", retrieved_at: null, source: "shopify", status: "active", tax_lines: [], taxable: false, title: "Standard" }],
    status: ch.status,
    subtotal_price: total,
    tags: "Subscription, Subscription Recurring Order",
    tax_lines: "[]",
    taxable: true,
    taxes_included: false,
    total_discounts: "0.00",
    total_duties: "0.00",
    total_line_items_price: total,
    total_price: total,
    total_refunds: "0.00",
    total_tax: "0.00",
    total_weight_grams: 0,
    type: "recurring",
    updated_at: rcTime(ch.updatedAt),
  };
}
