import type { FailureClass } from "./timeline";

/**
 * Shopify's SubscriptionBillingAttemptErrorCode values (and the lower-case
 * forms some payloads carry), grouped by what recovers them:
 * - soft: the card is fine, the moment was not; a retry usually works.
 * - hard: the subscriber must act (new card, new details).
 * - inventory: the merchant must act (stock, allocation).
 */
const SOFT = new Set([
  "INSUFFICIENT_FUNDS",
  "PAYMENT_METHOD_DECLINED",
  "TRANSIENT_ERROR",
  "PAYMENT_PROVIDER_IS_NOT_ENABLED",
  "AUTHENTICATION_ERROR",
  "UNEXPECTED_ERROR",
]);
const HARD = new Set([
  "EXPIRED_PAYMENT_METHOD",
  "INVALID_PAYMENT_METHOD",
  "PAYMENT_METHOD_NOT_FOUND",
  "CARD_NUMBER_INCORRECT",
  "INVALID_CUSTOMER_BILLING_AGREEMENT",
  "FRAUD_SUSPECTED",
  "PURCHASE_TYPE_NOT_SUPPORTED",
  "CUSTOMER_NOT_FOUND",
  "CUSTOMER_INVALID",
  "BUYER_CANCELED_PAYMENT_METHOD",
  "INVALID_SHIPPING_ADDRESS",
  "PAYMENT_METHOD_INCOMPATIBLE_WITH_GATEWAY_CONFIG",
  "TAX_ERROR",
  "AMOUNT_TOO_SMALL",
]);
const INVENTORY = new Set([
  "INSUFFICIENT_INVENTORY",
  "INVENTORY_ALLOCATIONS_NOT_FOUND",
  "FREE_SHIPPING_DISCOUNT_NOT_ALLOWED",
]);

/** Normalises an error code as sent (any case, possibly null) to upper case, or null. */
export function normaliseErrorCode(code: string | null | undefined): string | null {
  if (code == null) return null;
  const trimmed = String(code).trim();
  return trimmed === "" ? null : trimmed.toUpperCase();
}

export function classifyFailure(code: string | null | undefined): FailureClass {
  const c = normaliseErrorCode(code);
  if (c == null) return "other";
  if (SOFT.has(c)) return "soft_decline";
  if (HARD.has(c)) return "hard_decline";
  if (INVENTORY.has(c)) return "inventory";
  return "other";
}
