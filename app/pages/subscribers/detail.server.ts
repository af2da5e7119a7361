/**
 * One subscriber's full picture for the admin: score and reasons, history, timeline,
 * plays, tasks and contracts. Scoped by shop: an id from another shop is "not found".
 */
import prisma from "../../db.server";
import { oneFactorPerFact } from "../../health/explain";
import type { HealthFactor } from "../../health/types";
import { currentWeek, shiftWeek } from "../../health/weeks.server";
import { shopWeekContext } from "../../models/shop.server";
import { isOverdue } from "../../models/tasks.server";
import { triggersByKey } from "../../models/triggers.server";
import { customerAdminUrl, displayName, parseFactors, suggestedPlay, type Suggestion } from "../shared/subscriber-row";
import { cancellationsOf, type Cancellation } from "./cancellations.server";
import { nextBillingAfter, subscriberNextBilling } from "./next-billing";

const HISTORY_WEEKS = 26;
const TIMELINE_LIMIT = 100;

export interface ContractLine {
  title: string;
  variantTitle: string | null;
  quantity: number;
  price: number;
}

export interface SubscriberDetail {
  subscriber: {
    id: string;
    customerId: string;
    name: string;
    email: string | null;
    status: string;
    firstSubscribedAt: string | null;
    monthlyValue: number;
    currency: string;
    /** The next billing after now; null when not scheduled (paused, cancelled) or not known. */
    nextBillingAt: string | null;
    /** When they cancelled and why, once every subscription has ended. */
    cancellation: Cancellation | null;
    card: { month: number; year: number; expiresBeforeNextBilling: boolean; expired: boolean } | null;
    redacted: boolean;
    shopifyUrl: string;
  };
  health: {
    score: number;
    band: string;
    segmentKey: string;
    computedAt: string;
    bandSince: string;
    factors: HealthFactor[];
    suggestion: Suggestion;
  } | null;
  history: { week: string; score: number; band: string }[];
  bandChanges: { at: string; from: string | null; to: string; score: number }[];
  events: { id: string; type: string; occurredAt: string; contractId: string | null; data: Record<string, unknown> }[];
  eventCount: number;
  firings: {
    id: string;
    triggerKey: string;
    triggerName: string;
    firedAt: string;
    holdout: boolean;
    reasons: string[];
    outcome: string | null;
    plays: { kind: string; metric: string | null; status: string; attempts: number; sentAt: string | null; lastError: string | null }[];
  }[];
  tasks: {
    id: string;
    title: string;
    suggestedAction: string;
    status: string;
    owner: string;
    priority: string;
    dueAt: string;
    overdue: boolean;
    snoozedUntil: string | null;
    closedAt: string | null;
    closeReason: string | null;
    note: string | null;
  }[];
  contracts: {
    contractId: string;
    status: string;
    monthlyValue: number | null;
    currency: string | null;
    billingInterval: string | null;
    billingIntervalCount: number | null;
    nextBillingAt: string | null;
    createdAt: string | null;
    lines: ContractLine[];
  }[];
  timeZone: string;
}

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** Everything about one subscriber of this shop, or null when the id is not this shop's. */
export async function subscriberDetail(shop: string, id: string, now = new Date()): Promise<SubscriberDetail | null> {
  const s = await prisma.subscriber.findFirst({
    where: { id, shop },
    include: { health: true, contracts: { orderBy: { createdAtShopify: "asc" } } },
  });
  if (!s) return null;
  const { timeZone, currency } = await shopWeekContext(shop);
  const oldestWeek = shiftWeek(currentWeek(now, timeZone).key, -(HISTORY_WEEKS - 1));

  // The subscriber is this shop's (read above), so the rows below are found by subscriber
  // id alone: with the shop in the condition SQLite can pick a shop-wide index (the shop's
  // history by time, its events by source key) and read the whole store for one page.
  const [history, bandChanges, events, eventCount, firings, tasks, triggers, cancellations] = await Promise.all([
    prisma.healthHistory.findMany({
      where: { subscriberId: id, kind: "weekly", periodKey: { gte: oldestWeek } },
      orderBy: { periodKey: "asc" },
      select: { periodKey: true, score: true, band: true },
    }),
    prisma.healthHistory.findMany({
      where: { subscriberId: id, kind: "band_change" },
      // A band change's key is its instant (ISO), so this order reads the subscriber's index backwards.
      orderBy: { periodKey: "desc" },
      take: 20,
      select: { at: true, fromBand: true, band: true, score: true },
    }),
    prisma.subscriberEvent.findMany({
      where: { subscriberId: id },
      orderBy: { occurredAt: "desc" },
      take: TIMELINE_LIMIT,
      select: { id: true, type: true, occurredAt: true, contractId: true, data: true },
    }),
    prisma.subscriberEvent.count({ where: { subscriberId: id } }),
    prisma.firing.findMany({
      where: { subscriberId: id },
      orderBy: { firedAt: "desc" },
      take: 50,
      include: { plays: { orderBy: { createdAt: "asc" } } },
    }),
    prisma.task.findMany({ where: { shop, subscriberId: id }, orderBy: { createdAt: "desc" }, take: 50 }),
    triggersByKey(prisma, shop),
    s.status === "cancelled" ? cancellationsOf([s.id], s.contracts) : null,
  ]);
  const cancellation = cancellations?.get(s.id) ?? null;

  const nextBilling = subscriberNextBilling(s.status, s.nextBillingAt, s.contracts, now);
  const card = s.cardExpiryMonth && s.cardExpiryYear ? { month: s.cardExpiryMonth, year: s.cardExpiryYear } : null;
  // A card is good through the last day of its expiry month.
  const cardEnds = card ? Date.UTC(card.year, card.month, 1) : null;
  const factors = oneFactorPerFact(parseFactors(s.health?.factors));

  return {
    subscriber: {
      id: s.id,
      customerId: s.customerId,
      name: displayName(s),
      email: s.email,
      status: s.status,
      firstSubscribedAt: iso(s.firstSubscribedAt),
      monthlyValue: s.monthlyValue,
      currency: s.currency ?? currency,
      nextBillingAt: iso(nextBilling),
      cancellation,
      card:
        card && cardEnds !== null
          ? {
              ...card,
              expired: cardEnds <= now.getTime(),
              expiresBeforeNextBilling: nextBilling ? cardEnds <= nextBilling.getTime() : false,
            }
          : null,
      redacted: s.redactedAt != null,
      shopifyUrl: customerAdminUrl(shop, s.customerId),
    },
    // An ended subscriber's stored score (0, critical) is not a health: they show as cancelled.
    health:
      s.health && !cancellation
      ? {
          score: s.health.score,
          band: s.health.band,
          segmentKey: s.health.segmentKey,
          computedAt: s.health.computedAt.toISOString(),
          bandSince: s.health.bandSince.toISOString(),
          factors,
          suggestion: suggestedPlay(factors),
        }
      : null,
    history: history.map((h) => ({ week: h.periodKey, score: h.score, band: h.band })),
    bandChanges: bandChanges.map((b) => ({ at: b.at.toISOString(), from: b.fromBand, to: b.band, score: b.score })),
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      occurredAt: e.occurredAt.toISOString(),
      contractId: e.contractId,
      data: parseJson<Record<string, unknown>>(e.data, {}),
    })),
    eventCount,
    firings: firings.map((f) => ({
      id: f.id,
      triggerKey: f.triggerKey,
      triggerName: triggers.get(f.triggerKey)?.name ?? f.triggerKey,
      firedAt: f.firedAt.toISOString(),
      holdout: f.holdout,
      reasons: parseJson<string[]>(f.reasons, []),
      outcome: f.outcome,
      plays: f.plays.map((p) => ({
        kind: p.kind,
        metric: p.metric,
        status: p.status,
        attempts: p.attempts,
        sentAt: iso(p.sentAt),
        lastError: p.lastError,
      })),
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.title,
      suggestedAction: t.suggestedAction,
      status: t.status,
      owner: t.owner,
      priority: t.priority,
      dueAt: t.dueAt.toISOString(),
      overdue: isOverdue(t, now),
      snoozedUntil: iso(t.snoozedUntil),
      closedAt: iso(t.closedAt),
      closeReason: t.closeReason,
      note: t.note,
    })),
    contracts: s.contracts.map((c) => ({
      contractId: c.contractId,
      status: c.status,
      monthlyValue: c.monthlyValue,
      currency: c.currency,
      billingInterval: c.billingInterval,
      billingIntervalCount: c.billingIntervalCount,
      nextBillingAt: c.status === "active" ? iso(nextBillingAfter(c.nextBillingAt ?? s.nextBillingAt, c.billingInterval, c.billingIntervalCount, now)) : null,
      createdAt: iso(c.createdAtShopify),
      lines: parseJson<ContractLine[]>(c.lines, []),
    })),
    timeZone,
  };
}
