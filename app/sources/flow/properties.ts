/**
 * Reading the Flow action's `properties`: each value as a workflow's Liquid renders it
 * (Flow sends a field's value as text, e.g. "10.00"; a number is taken too). A value
 * left empty is absent; a value that is there but does not read is a SourcePayloadError,
 * so the delivery is kept and dead-lettered with the field named. Pure.
 */
import type { ContractStatus } from "../../domain/timeline";
import { SourcePayloadError } from "../types";

export type FlowProperties = Record<string, unknown>;

export function propertiesOf(payload: unknown): FlowProperties {
  const properties = (payload as { properties?: unknown } | null)?.properties;
  if (properties === null || typeof properties !== "object" || Array.isArray(properties)) {
    throw new SourcePayloadError("the request has no properties object");
  }
  return properties as FlowProperties;
}

/** The value as trimmed text; null when absent or empty. */
export function text(p: FlowProperties, key: string): string | null {
  const v = p[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw new SourcePayloadError(`${key} is not text: ${short(v)}`);
  const s = String(v).trim();
  return s === "" ? null : s;
}

export function required(p: FlowProperties, key: string): string {
  const v = text(p, key);
  if (v === null) throw new SourcePayloadError(`${key} is missing`);
  return v;
}

/** An event kind as a workflow may write it: "Billing failed", "billing-failed" and "billing_failed" are one kind. */
export function normaliseKind(kind: string): string {
  return kind.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/** Shopify's numeric id, from the number or its gid (gid://shopify/<type>/<n>). */
export function shopifyId(p: FlowProperties, key: string, type: string): string | null {
  const v = text(p, key);
  if (v === null) return null;
  const m = /^(?:gid:\/\/shopify\/([A-Za-z]+)\/)?(\d+)$/.exec(v);
  if (!m || (m[1] !== undefined && m[1] !== type)) throw new SourcePayloadError(`${key} is not a Shopify ${type} id: ${short(v)}`);
  return m[2];
}

/** A time with its date (ISO 8601, as Flow renders DateTime fields). */
export function date(p: FlowProperties, key: string): Date | null {
  const v = text(p, key);
  if (v === null) return null;
  const t = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new SourcePayloadError(`${key} is not a date: ${short(v)}`);
  return new Date(t);
}

export function decimal(p: FlowProperties, key: string): number | null {
  const v = text(p, key);
  if (v === null) return null;
  const n = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new SourcePayloadError(`${key} is not an amount: ${short(v)}`);
  return n;
}

export function integer(p: FlowProperties, key: string, min: number, max: number): number | null {
  const v = text(p, key);
  if (v === null) return null;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new SourcePayloadError(`${key} is not a whole number from ${min} to ${max}: ${short(v)}`);
  return n;
}

const STATUSES: Record<string, ContractStatus> = {
  active: "active",
  paused: "paused",
  cancelled: "cancelled",
  canceled: "cancelled",
  expired: "expired",
  failed: "failed",
};

/** Shopify's SubscriptionContractSubscriptionStatus (ACTIVE, PAUSED, CANCELLED, EXPIRED, FAILED), any case. */
export function contractStatus(p: FlowProperties, key: string): ContractStatus | null {
  const v = text(p, key);
  if (v === null) return null;
  const status = STATUSES[v.toLowerCase()];
  if (!status) throw new SourcePayloadError(`${key} is not a contract status: ${short(v)}`);
  return status;
}

const INTERVALS: Record<string, string> = {
  day: "DAY",
  days: "DAY",
  daily: "DAY",
  week: "WEEK",
  weeks: "WEEK",
  weekly: "WEEK",
  month: "MONTH",
  months: "MONTH",
  monthly: "MONTH",
  year: "YEAR",
  years: "YEAR",
  yearly: "YEAR",
  annual: "YEAR",
  annually: "YEAR",
};

/** Shopify's SellingPlanInterval (DAY, WEEK, MONTH, YEAR), any case, or its plain-word forms (Weekly). */
export function interval(p: FlowProperties, key: string): string | null {
  const v = text(p, key);
  if (v === null) return null;
  const i = INTERVALS[v.toLowerCase()];
  if (!i) throw new SourcePayloadError(`${key} is not DAY, WEEK, MONTH or YEAR: ${short(v)}`);
  return i;
}

export function currency(p: FlowProperties, key: string): string | null {
  const v = text(p, key);
  if (v === null) return null;
  if (!/^[A-Za-z]{3}$/.test(v)) throw new SourcePayloadError(`${key} is not a currency code: ${short(v)}`);
  return v.toUpperCase();
}

/** A value quoted in a reason: short, so a dead letter never carries a whole body. */
function short(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}
