/**
 * A Seal subscription body as a SourceRecord: the contract as the body shows it and the
 * timeline events it evidences. Seal sends the whole subscription on every topic
 * (subscription/created, /updated, /cancelled) and in its list endpoint, with no
 * updated_at and no revision, so:
 *
 * - The view's time (`asOf`, which keeps the contract's view moving forward only) is the
 *   latest time the body itself carries: its activity log, order_placed, paused_on,
 *   cancelled_on, its settled billing attempts. A late delivery of an older body then
 *   loses to a newer one whatever order they arrive in.
 * - Events are keyed by what the body says, never by when it arrived, so a redelivery, a
 *   second update in the same state and the history import add nothing twice.
 * - A change the body dates (cancelled_on, paused_on, a billing attempt) is dated by it.
 *   One it does not date (a resume; a pause or cancellation with no date) is dated by the
 *   delivery (`at`: when the webhook arrived), or by the body's own times where they bound
 *   it better; see statusEvents. For the history import (topic null) `at` is only when the
 *   list was read, so the body's times are used wherever it has any.
 * Pure: a function of the body, the topic and `at`.
 */
import { classifyFailure, normaliseErrorCode } from "../../domain/failure-class";
import { monthlyValue } from "../../domain/monthly-value";
import type { ContractStatus } from "../../domain/timeline";
import { SourcePayloadError, type SourceEvent, type SourceRecord } from "../types";
import { readSubscription, type SealStatus, type SealSubscription } from "./payload";

export const SEAL_TOPICS = ["subscription/created", "subscription/updated", "subscription/cancelled"] as const;

const STATUS: Record<SealStatus, ContractStatus> = { ACTIVE: "active", PAUSED: "paused", CANCELLED: "cancelled" };

/** The contract id Lifeline stores: Shopify's own when the body names it (Seal contracts are Shopify contracts), else Seal's, namespaced. */
export function sealContractId(s: Pick<SealSubscription, "id" | "shopifyContractId">): string {
  return s.shopifyContractId ?? `seal:${s.id}`;
}

/**
 * One body as one record. `topic` is the webhook's topic, or null for a page of the
 * history import; `at` is when the delivery arrived (or the page was read).
 */
export function sealRecord(topic: string | null, payload: unknown, at: Date): SourceRecord {
  const s = readSubscription(payload);
  if (topic === "subscription/cancelled" && s.status !== "CANCELLED") {
    throw new SourcePayloadError(`subscription/cancelled for subscription ${s.id} has status ${s.status}, not CANCELLED`);
  }
  const times = bodyTimes(s, at);
  const key = (...parts: string[]) => ["subscription", s.id, ...parts].join(":");
  const events: SourceEvent[] = [...statusEvents(s, topic, at, times)];
  for (const a of s.attempts ?? []) {
    const outcome = a.status === "succeeded" ? "billing.succeeded" : a.status === "failed" ? "billing.failed" : null;
    const occurredAt = a.completedAt ?? a.date;
    if (!outcome || !occurredAt) continue; // scheduled, pending or a status Seal was not seen to send
    const attemptKey = a.id ? `attempt:${a.id}:${a.status}` : `${key("attempt", a.date?.toISOString() ?? "undated")}:${a.status}`;
    const errorCode = normaliseErrorCode(a.errorCode);
    events.push({
      type: outcome,
      occurredAt,
      key: attemptKey,
      // Seal contracts are Shopify contracts: its error codes are Shopify's billing attempt codes.
      data: outcome === "billing.failed" ? { errorCode, failureClass: classifyFailure(errorCode), errorMessage: a.errorMessage } : undefined,
    });
  }

  const delivery = parseInterval(s.deliveryInterval);
  const billing = parseInterval(s.billingInterval);
  const recurring = s.items?.filter((i) => !i.oneTime);
  const lines = recurring?.map((i) => ({ title: i.title, variantTitle: null, quantity: i.quantity, price: i.price }));
  return {
    contractId: sealContractId(s),
    customer: { shopifyCustomerId: s.shopifyCustomerId, email: s.email, vendorCustomerId: null, firstName: s.firstName, lastName: s.lastName },
    asOf: times.at(-1) ?? at,
    contract: {
      status: STATUS[s.status],
      currency: s.currency,
      ...(billing ? { billingInterval: billing.interval, billingIntervalCount: billing.count } : {}),
      ...(lines ? { lines } : {}),
      ...(lines && delivery ? { monthlyValue: monthlyValue(lines, delivery.interval, delivery.count) } : {}),
      ...(s.attempts ? { nextBillingAt: s.status === "ACTIVE" ? nextScheduled(s) : null } : {}),
      createdAt: s.orderPlaced,
    },
    events,
    ...(s.card ? { card: s.card } : {}),
  };
}

/**
 * The contract's status changes the body evidences. A pause or cancellation it dates
 * happened then, whatever the status is now (a cancelled body still shows the pause before
 * it). A pause is over when the body is active again, or when it shows a charge after it;
 * that resume (or a reactivation after a cancellation) has no date of its own: the delivery
 * is its time when nothing in the body comes after the pause, else the body's first time
 * after it (the resume's log entry when Seal logged it, else the first charge: no later
 * than the resume's next billing). An undated pause or cancellation: the delivery's time,
 * or for the import the body's latest time.
 */
function statusEvents(s: SealSubscription, topic: string | null, at: Date, times: Date[]): SourceEvent[] {
  const key = (...parts: string[]) => ["subscription", s.id, ...parts].join(":");
  const events: SourceEvent[] = [];
  if (s.orderPlaced || topic === "subscription/created") events.push({ type: "contract.created", occurredAt: s.orderPlaced ?? at, key: key("created") });
  if (s.pausedOn) events.push({ type: "contract.paused", occurredAt: s.pausedOn, key: key("paused", s.pausedOnRaw!) });
  if (s.cancelledOn) events.push({ type: "contract.cancelled", occurredAt: s.cancelledOn, key: key("cancelled", s.cancelledOnRaw!) });
  const undated = topic !== null ? at : (times.at(-1) ?? at);
  if (s.status === "PAUSED" && !s.pausedOn) events.push({ type: "contract.paused", occurredAt: undated, key: key("paused", "undated") });
  if (s.status === "CANCELLED" && !s.cancelledOn) events.push({ type: "contract.cancelled", occurredAt: undated, key: key("cancelled", "undated") });

  const endedAt = (from: Date) => {
    const next = times.find((t) => t > from);
    return topic !== null && !chargedSince(s, from) ? at : (next ?? at);
  };
  const pausedLast = s.pausedOn !== null && (s.cancelledOn === null || s.pausedOn > s.cancelledOn);
  const pauseIsOver = s.pausedOn !== null && ((s.status === "ACTIVE" && pausedLast) || (s.status === "CANCELLED" && chargedSince(s, s.pausedOn, s.cancelledOn)));
  if (pauseIsOver) {
    // The timeline relabels an activation after a pause as a resume.
    events.push({ type: "contract.activated", occurredAt: endedAt(s.pausedOn!), key: key("resumed-after", s.pausedOnRaw!) });
  } else if (s.status === "ACTIVE" && s.cancelledOn && !pausedLast) {
    events.push({ type: "contract.activated", occurredAt: endedAt(s.cancelledOn), key: key("reactivated-after", s.cancelledOnRaw!) });
  }
  return events;
}

/** Whether the body shows a settled billing attempt after `from` (and before `until`). */
function chargedSince(s: SealSubscription, from: Date, until: Date | null = null): boolean {
  return (s.attempts ?? []).some((a) => {
    const t = a.completedAt ?? a.date;
    return (a.status === "succeeded" || a.status === "failed") && t !== null && t > from && (until === null || t < until);
  });
}

/** The times the body carries, oldest first, none after `at` (a body cannot be newer than its delivery). */
function bodyTimes(s: SealSubscription, at: Date): Date[] {
  const settled = (s.attempts ?? []).filter((a) => a.status === "succeeded" || a.status === "failed").map((a) => a.completedAt ?? a.date);
  return [...s.logTimes, s.orderPlaced, s.pausedOn, s.cancelledOn, ...settled].filter((t): t is Date => t !== null && t <= at).sort((a, b) => a.getTime() - b.getTime());
}

/** The earliest attempt still to come: Seal lists the scheduled ones with an empty (or pending) status. */
function nextScheduled(s: SealSubscription): Date | null {
  const dates = (s.attempts ?? []).filter((a) => (a.status === "" || a.status === "pending") && a.date).map((a) => a.date!.getTime());
  return dates.length === 0 ? null : new Date(Math.min(...dates));
}

/** "1 month", "15 days", "2 weeks", "1 year" in Shopify's terms; null when it reads otherwise. */
export function parseInterval(value: string | null): { interval: "DAY" | "WEEK" | "MONTH" | "YEAR"; count: number } | null {
  const m = /^(\d+)\s*(day|week|month|year)s?$/i.exec(value?.trim() ?? "");
  if (!m || Number(m[1]) < 1) return null;
  return { interval: m[2].toUpperCase() as "DAY" | "WEEK" | "MONTH" | "YEAR", count: Number(m[1]) };
}
