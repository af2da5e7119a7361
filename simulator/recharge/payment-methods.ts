/**
 * A simulated customer's payment methods as Recharge holds them (2021-11 `GET /payment_methods`):
 * one per card the simulator gives them. A new card is a new method and the customer's default;
 * a renewed card (a card updater, or the customer's new expiry) is the same method with new
 * details; the old card's removal after a replacement deletes its method. The bodies have the
 * keys of fixtures/recharge/payment-methods.list.json (a hand-written sample, low confidence).
 */
import { createHash } from "node:crypto";
import type { SimCard, SimFact, SimulatedSubscriber } from "../types";
import { rcTime } from "./objects";

export const RC_PAYMENT_METHOD_BASE = 20_000_000;

export interface PaymentMethodState {
  id: number;
  card: SimCard;
  createdAt: number;
  updatedAt: number;
  isDefault: boolean;
}

const hex = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);

/** The customer's methods after one card fact; returns the default card, or null when none is left. */
export function applyCardFact(methods: PaymentMethodState[], sub: SimulatedSubscriber, f: Extract<SimFact, { kind: "payment_method" }>): { month: number; year: number } | null {
  const same = methods.findIndex((m) => m.card.token === f.card.token);
  if (f.topic === "revoke") {
    if (same >= 0) methods.splice(same, 1);
  } else if (same >= 0 && f.topic === "update") {
    methods[same] = { ...methods[same], card: f.card, updatedAt: f.at };
  } else {
    for (const m of methods) m.isDefault = false;
    methods.push({ id: RC_PAYMENT_METHOD_BASE + sub.index * 100 + methods.length + 1, card: f.card, createdAt: f.at, updatedAt: f.at, isDefault: true });
  }
  const chosen = methods.find((m) => m.isDefault) ?? methods[methods.length - 1];
  return chosen ? { month: chosen.card.month, year: chosen.card.year } : null;
}

export function paymentMethodObject(m: PaymentMethodState, sub: SimulatedSubscriber, customerId: number): Record<string, unknown> {
  return {
    id: m.id,
    billing_address: {
      address1: `${100 + (sub.index % 900)} Main St`,
      address2: null,
      city: "Columbus",
      company_name: null,
      country_code: "US",
      name: `${sub.firstName} ${sub.lastName}`,
      phone: null,
      province: "Ohio",
      zip: "43004",
    },
    created_at: rcTime(m.createdAt),
    customer_id: customerId,
    default: m.isDefault,
    payment_details: [{ brand: m.card.brand.toLowerCase(), exp_month: m.card.month, exp_year: m.card.year, last4: Number(m.card.lastDigits) }],
    payment_type: "CREDIT_CARD",
    processor_customer_token: `cus_${hex(`customer:${customerId}`, 14)}`,
    processor_name: "shopify_payments",
    processor_payment_method_token: `pm_${hex(m.card.token, 14)}`,
    updated_at: rcTime(m.updatedAt),
  };
}
