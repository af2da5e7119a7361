/**
 * The customer as Recharge names them, and customer/payment_method_updated. The customer
 * object says only whether a valid payment method is on file (has_valid_payment_method,
 * has_payment_method_in_dunning): no card, so no expiry is recorded. Pure: no I/O.
 */
import { SourcePayloadError, type SourceCustomer, type SourceRecord } from "../types";
import { customerObject, parseObject, type RechargeCustomer } from "./schemas";

export function customerRef(c: RechargeCustomer): SourceCustomer {
  return {
    shopifyCustomerId: c.external_customer_id,
    email: c.email,
    vendorCustomerId: c.id,
    ...(c.first_name != null ? { firstName: c.first_name } : {}),
    ...(c.last_name != null ? { lastName: c.last_name } : {}),
  };
}

/** customer/payment_method_updated: a new method on file, or none valid any more. */
export function recordsFromPaymentMethodUpdate(customer: unknown): SourceRecord[] {
  const c = parseObject(customerObject, customer, "customer");
  const at = c.updated_at;
  // The change is dated and named by the customer's version; without it, it is not Recharge's body.
  if (!at) throw new SourcePayloadError("customer.updated_at: Required");
  const type = c.has_valid_payment_method === false ? "payment_method.revoked" : "payment_method.updated";
  return [{ contractId: null, customer: customerRef(c), asOf: at, events: [{ type, occurredAt: at, key: `customer:${c.id}:payment_method_updated:${at.toISOString()}` }] }];
}
