/**
 * A deterministic Recharge account of any size, for the history import's tests and
 * benchmark: customers, their subscriptions and the subscriptions' charges, each shaped
 * exactly like the API objects in fixtures/recharge/ (the same fields, in the same
 * forms, including the "365"-style strings and 1/0 flags of those samples). The mix is
 * fixed by the seed: most charges paid, some failed with retries exhausted, some
 * skipped, one queued charge per active subscription (which an import of past billing
 * does not read), one card per customer (its default payment method; a few expired or
 * expiring within months), and optionally a few objects Recharge would never send, to
 * show an import counts and skips them.
 */
import { Rng, mixSeed } from "../random";
import type { RechargeDataSet, RechargeObject } from "./server";

export interface DataSetOptions {
  subscriptions: number;
  /** Customers the subscriptions belong to (default: one each); neighbours by id share a customer. */
  customers?: number;
  seed?: number;
  /** Nothing is dated after this (default 2026-06-01). */
  end?: Date;
  /** Broken subscriptions and charges added at the end (no created_at; no line items). */
  malformed?: { subscriptions?: number; charges?: number };
}

const DAY = 86_400_000;
const FIRST_CUSTOMER = 64_000_000;
const FIRST_SUBSCRIPTION = 153_000_000;
const FIRST_CHARGE = 580_000_000;
const FIRST_SHOPIFY_CUSTOMER = 5_213_000_000_000;
const PRODUCTS = [
  { title: "Airbit Box Corner Short sleeve t-shirt", variant: "L / City Green", price: 24.3, product: "6642695864491", variantId: "39684723835051" },
  { title: "Morning Roast Coffee 1kg", variant: "Whole bean", price: 31.5, product: "6642695864501", variantId: "39684723835101" },
  { title: "Daily Greens Powder", variant: "30 servings", price: 44.0, product: "6642695864511", variantId: "39684723835201" },
];
const REASONS = ["Too expensive", "I have too much product", "Switching to another brand", "Other"];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Which charges a count per subscription makes: 1 and 2 alternately (1.5 on average). */
export function chargesOf(index: number): number {
  return 1 + (index % 2);
}

export function buildRechargeDataSet(options: DataSetOptions): RechargeDataSet {
  const n = options.subscriptions;
  const customerCount = options.customers ?? n;
  const end = (options.end ?? new Date("2026-06-01T00:00:00Z")).getTime();
  const seed = options.seed ?? 11;
  const customers: RechargeObject[] = [];
  const subscriptions: RechargeObject[] = [];
  const charges: RechargeObject[] = [];
  const paymentMethods: RechargeObject[] = [];
  let chargeId = FIRST_CHARGE;

  for (let c = 0; c < customerCount; c++) {
    customers.push(customer(c, new Rng(mixSeed(seed, c, 1)), end));
    // Its own stream: the cards leave every other object as it was.
    paymentMethods.push(paymentMethod(customers[c], new Rng(mixSeed(seed, c, 3)), end));
  }
  for (let i = 0; i < n; i++) {
    const rng = new Rng(mixSeed(seed, i, 2));
    const owner = customers[Math.floor((i * customerCount) / n)];
    const product = rng.pick(PRODUCTS);
    const created = end - rng.int(70, 700) * DAY - rng.int(0, DAY - 1);
    const count = chargesOf(i);
    const last = rng.weighted([["success", 85], ["error", 8], ["skipped", 7]] as const);
    const cancelled = last !== "error" && rng.chance(0.15);
    const subId = FIRST_SUBSCRIPTION + i;
    let lastAt = created;
    for (let k = 0; k < count; k++) {
      const at = created + k * 30 * DAY + rng.int(0, 3_600_000);
      const status = k === count - 1 ? last : "success";
      charges.push(charge(chargeId++, status, at, owner, subId, product));
      lastAt = at;
    }
    const cancelledAt = cancelled ? lastAt + rng.int(2, 20) * DAY : null;
    const next = lastAt + 30 * DAY;
    const updated = cancelledAt ?? lastAt + 60_000;
    subscriptions.push(subscription(subId, owner, product, created, updated, cancelledAt, next, last === "error", rng));
    if (!cancelled) charges.push(charge(chargeId++, "queued", next, owner, subId, product));
  }
  const broken = options.malformed ?? {};
  for (let b = 0; b < (broken.subscriptions ?? 0); b++) {
    const s = subscriptions[b];
    subscriptions.push({ ...s, id: FIRST_SUBSCRIPTION + n + b, created_at: null });
  }
  for (let b = 0; b < (broken.charges ?? 0); b++) {
    const ch = charges[b];
    charges.push({ ...ch, id: chargeId++, line_items: "none" });
  }
  return { customers, subscriptions, charges, payment_methods: paymentMethods };
}

function customer(c: number, rng: Rng, end: number): RechargeObject {
  const created = end - 720 * DAY - rng.int(0, 30) * DAY;
  const first = rng.pick(["Kelly", "Sam", "Priya", "Jonas", "Maria", "Ade", "Chen", "Lucia"]);
  const last = rng.pick(["Kozakevich", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Reyes"]);
  return {
    id: FIRST_CUSTOMER + c,
    analytics_data: { utm_params: [] },
    apply_credit_to_next_checkout_charge: false,
    apply_credit_to_next_recurring_charge: false,
    created_at: iso(created),
    email: `${first.toLowerCase()}.${last.toLowerCase()}.${c}@example.com`,
    external_customer_id: { ecommerce: String(FIRST_SHOPIFY_CUSTOMER + c) },
    first_charge_processed_at: iso(created + 3_600_000),
    first_name: first,
    has_payment_method_in_dunning: false,
    has_valid_payment_method: true,
    hash: rng.hex(16),
    last_name: last,
    phone: null,
    subscriptions_active_count: 1,
    subscriptions_total_count: 1,
    tax_exempt: false,
    updated_at: iso(created + DAY),
  };
}

/** The customer's default card, as fixtures/recharge/payment-methods.list.json shapes it; expiring from 3 months before `end` to 4 years after. */
function paymentMethod(owner: RechargeObject, rng: Rng, end: number): RechargeObject {
  const d = new Date(end);
  const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth() + rng.int(-3, 48);
  const created = Date.parse(String(owner.created_at).replace("+00:00", "Z"));
  return {
    id: 1_200_000 + (Number(owner.id) - FIRST_CUSTOMER),
    billing_address: {
      address1: "1921 W Wilson St",
      address2: null,
      city: "Batavia",
      company_name: null,
      country_code: "US",
      name: `${String(owner.first_name)} ${String(owner.last_name)}`,
      phone: null,
      province: "Illinois",
      zip: "60510",
    },
    created_at: iso(created),
    customer_id: owner.id,
    default: true,
    payment_details: [{ brand: rng.pick(["visa", "mastercard", "amex"]), exp_month: (monthIndex % 12) + 1, exp_year: Math.floor(monthIndex / 12), last4: rng.int(1000, 9999) }],
    payment_type: "CREDIT_CARD",
    processor_customer_token: `cus_${rng.hex(14)}`,
    processor_name: "stripe",
    processor_payment_method_token: `pm_${rng.hex(14)}`,
    updated_at: iso(created),
  };
}

type Product = (typeof PRODUCTS)[number];

function subscription(id: number, owner: RechargeObject, p: Product, created: number, updated: number, cancelledAt: number | null, next: number, maxRetries: boolean, rng: Rng): RechargeObject {
  return {
    id,
    address_id: 69_000_000 + (Number(owner.id) - FIRST_CUSTOMER),
    customer_id: owner.id,
    analytics_data: { utm_params: [] },
    cancellation_reason: cancelledAt === null ? null : rng.pick(REASONS),
    cancellation_reason_comments: null,
    cancelled_at: cancelledAt === null ? null : iso(cancelledAt),
    charge_interval_frequency: "30",
    created_at: iso(created),
    expire_after_specific_number_of_charges: null,
    external_product_id: { ecommerce: p.product },
    external_variant_id: { ecommerce: p.variantId },
    has_queued_charges: cancelledAt === null ? 1 : 0,
    is_prepaid: false,
    is_skippable: true,
    is_swappable: false,
    max_retries_reached: maxRetries ? 1 : 0,
    next_charge_scheduled_at: cancelledAt === null ? day(next) : null,
    order_day_of_month: null,
    order_day_of_week: null,
    order_interval_frequency: "30",
    order_interval_unit: "day",
    presentment_currency: "USD",
    price: p.price,
    product_title: p.title,
    properties: [],
    quantity: 1,
    sku: null,
    sku_override: false,
    status: cancelledAt === null ? "active" : "cancelled",
    updated_at: iso(updated),
    variant_title: p.variant,
  };
}

function charge(id: number, status: "success" | "error" | "skipped" | "queued", at: number, owner: RechargeObject, subId: number, p: Product): RechargeObject {
  const price = p.price.toFixed(2);
  const total = (p.price + 4.9).toFixed(2);
  const address = { address1: "1921 W Wilson St", address2: null, city: "Batavia", company: null, country_code: "US", first_name: owner.first_name, last_name: owner.last_name, phone: null, province: "Illinois", zip: "60510" };
  const paid = status === "success";
  const failedAt = at + 2 * DAY;
  const updated = status === "queued" ? at - 20 * DAY : status === "skipped" ? at - 2 * DAY : status === "error" ? failedAt + 60_000 : at + 9 * 60_000;
  return {
    id,
    address_id: Number(owner.id) - FIRST_CUSTOMER + 69_000_000,
    analytics_data: { utm_params: [] },
    billing_address: address,
    ...(status === "error" ? { charge_attempts: 6 } : {}),
    client_details: { browser_ip: null, user_agent: null },
    created_at: iso(at - 30 * DAY),
    currency: "USD",
    customer: { id: owner.id, email: owner.email, external_customer_id: owner.external_customer_id, hash: owner.hash },
    discounts: [],
    error: status === "error" ? `None\r\n [${day(failedAt)}] ['Card declined: insufficient funds']` : null,
    error_type: status === "error" ? "CLOSED_MAX_RETRIES_REACHED" : null,
    external_order_id: { ecommerce: paid ? String(5_006_000_000_000 + id) : null },
    external_transaction_id: { payment_processor: paid ? String(43_000_000_000 + id) : null },
    has_uncommitted_changes: false,
    ...(status === "error" ? { external_variant_not_found: null, last_charge_attempt: iso(failedAt) } : {}),
    line_items: [
      {
        purchase_item_id: subId,
        external_product_id: { ecommerce: p.product },
        external_variant_id: { ecommerce: p.variantId },
        grams: 0,
        handle: null,
        images: { large: null, medium: null, original: null, small: null },
        original_price: price,
        properties: [],
        purchase_item_type: "subscription",
        quantity: 1,
        sku: null,
        tax_due: "0.00",
        tax_lines: [],
        taxable: true,
        taxable_amount: price,
        title: p.title,
        total_price: price,
        unit_price: price,
        unit_price_includes_tax: false,
        variant_title: p.variant,
      },
    ],
    merged_at: null,
    note: null,
    order_attributes: [],
    orders_count: paid ? 1 : 0,
    payment_processor: "shopify_payments",
    processed_at: paid ? iso(at) : null,
    retry_date: status === "error" ? iso(failedAt + 6 * DAY) : null,
    scheduled_at: day(at),
    shipping_address: address,
    shipping_lines: [{ code: "Economy", price: "4.90", retrieved_at: null, source: "shopify", status: "active", tax_lines: [], taxable: false, title: "Economy" }],
    status,
    subtotal_price: price,
    tags: "Subscription, Subscription Recurring Order",
    tax_lines: "[]",
    taxable: true,
    taxes_included: false,
    total_discounts: "0.00",
    total_duties: "0.00",
    total_line_items_price: price,
    total_price: total,
    total_refunds: "0.00",
    total_tax: "0.00",
    total_weight_grams: 0,
    type: "recurring",
    updated_at: iso(updated),
  };
}
