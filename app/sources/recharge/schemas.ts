import { z } from "zod";
import { SourcePayloadError } from "../types";

/**
 * Recharge's 2021-11 subscription, charge and customer objects, read loosely: extra fields
 * pass through, and only what Lifeline reads is checked. The only samples are records
 * Airbyte pulled from Recharge's API (fixtures/recharge/SOURCES.md), whose normalisation
 * may turn numbers into strings ("365") and booleans into 1/0, so both forms are accepted.
 * Pure: no I/O.
 */

/** A Recharge id: a number, or its digits as a string. */
export const rechargeId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => String(v));

const looseNumber = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const looseBoolean = z.union([z.boolean(), z.literal(1).transform(() => true), z.literal(0).transform(() => false), z.enum(["true", "false"]).transform((v) => v === "true")]);
const text = z.string().nullish().transform((v) => v ?? null);

/**
 * Recharge's timestamps: "2021-05-13T09:46:47+00:00", a bare date ("2024-05-12") for
 * scheduled charges, and in older samples a time with no zone ("2018-10-17T09:01:39").
 * Recharge does not document the zone of the last form; it is read as UTC.
 */
export function rechargeTime(value: string | null | undefined): Date | null {
  if (value == null || value === "") return null;
  let s = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += "T00:00:00Z";
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += "Z";
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const time = z
  .string()
  .nullish()
  .refine((v) => v == null || v === "" || rechargeTime(v) !== null, { message: "not a date" })
  .transform((v) => rechargeTime(v));
const requiredTime = z.string().refine((v) => rechargeTime(v) !== null, { message: "not a date" }).transform((v) => rechargeTime(v)!);

const externalId = (key: string) =>
  z
    .object({ [key]: z.union([z.string(), z.number()]).nullish() })
    .passthrough()
    .nullish()
    .transform((o) => {
      const v = o?.[key];
      return v == null || v === "" ? null : String(v);
    });

export const subscriptionObject = z
  .object({
    id: rechargeId,
    customer_id: rechargeId.nullish().transform((v) => v ?? null),
    status: z.string().transform((s) => s.toLowerCase()),
    created_at: requiredTime,
    updated_at: requiredTime,
    cancelled_at: time,
    cancellation_reason: text,
    cancellation_reason_comments: text,
    next_charge_scheduled_at: time,
    order_interval_unit: text,
    order_interval_frequency: looseNumber.nullish().transform((v) => v ?? null),
    presentment_currency: text,
    currency: text,
    price: looseNumber,
    quantity: looseNumber,
    product_title: text,
    variant_title: text,
    max_retries_reached: looseBoolean.nullish().transform((v) => v ?? false),
  })
  .passthrough();
export type RechargeSubscription = z.infer<typeof subscriptionObject>;

/** The customer as Recharge includes it: in full (customer/*, included_objects) or as a charge's summary. */
export const customerObject = z
  .object({
    id: rechargeId,
    email: text,
    external_customer_id: externalId("ecommerce"),
    first_name: text,
    last_name: text,
    updated_at: time,
    has_valid_payment_method: looseBoolean.nullish().transform((v) => v ?? null),
    has_payment_method_in_dunning: looseBoolean.nullish().transform((v) => v ?? null),
  })
  .passthrough();
export type RechargeCustomer = z.infer<typeof customerObject>;

const lineItem = z
  .object({
    purchase_item_id: rechargeId.nullish().transform((v) => v ?? null),
    purchase_item_type: text,
  })
  .passthrough();

export const chargeObject = z
  .object({
    id: rechargeId,
    status: z.string().transform((s) => s.toLowerCase()),
    created_at: time,
    updated_at: requiredTime,
    processed_at: time,
    last_charge_attempt: time,
    scheduled_at: time,
    error: text,
    error_type: text,
    currency: text,
    customer: customerObject.nullish().transform((v) => v ?? null),
    line_items: z.array(lineItem),
  })
  .passthrough();
export type RechargeCharge = z.infer<typeof chargeObject>;

/** The webhook bodies: the object under its resource's name, plus any included objects. */
const anObject = z.object({}).passthrough();
export const subscriptionBody = z.object({ subscription: anObject, customer: anObject.nullish() }).passthrough();
export const chargeBody = z.object({ charge: anObject }).passthrough();
export const customerBody = z.object({ customer: anObject }).passthrough();

/** "subscription.status: Required; ..." for a dead letter's reason. */
export function problems(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${[prefix, ...i.path].join(".")}: ${i.message}`).join("; ");
}

/** The object as its schema reads it; a SourcePayloadError (dead letter) naming what does not fit. */
export function parseObject<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new SourcePayloadError(`the ${name} is not what Recharge sends: ${problems(result.error, name)}`);
  return result.data;
}
