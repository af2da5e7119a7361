/**
 * Which subscribers a dry run needs to replay. A trigger fires on an edge (its condition
 * false at one instant of the walk, true at the next), and each condition can only turn
 * true through a few things: an event of certain types (a skip, a failed payment, a
 * ticket), the passage of time from a known moment (a pause, a signup, a card's expiry), or
 * a move of the score (the band changes the rescore stage has stored). A subscriber with
 * none of those in the window cannot fire, so only the others are replayed, by the same
 * walk as before. Pure: the server module turns the scope into indexed queries.
 */
import type { TimelineEventType } from "../domain/timeline";
import type { TriggerCondition } from "./schema";

const DAY_MS = 86_400_000;
/** The longest billing interval the card check looks ahead over. */
const MAX_BILLING_LOOKAHEAD_DAYS = 400;
/** Upgrades count for 90 days (snapshot.ts). */
const UPGRADE_WINDOW_DAYS = 90;

export interface EventSource {
  types: readonly TimelineEventType[];
  fromMs: number;
}

export interface DryRunScope {
  /** Subscribers with an event of these types at or after `fromMs` (up to now). */
  events: EventSource[];
  /** Subscribers with a stored band change at or after this instant. */
  bandChangesFromMs: number | null;
  /** Subscribers who first subscribed at or after this instant. */
  signedUpFromMs: number | null;
  /** Subscribers whose card expires between these instants. */
  cardExpiry: { fromMs: number; toMs: number } | null;
  /** Only an event can change the condition: the replay may look at events alone, not every day start. */
  eventsOnly: boolean;
}

/** A cancelled subscriber coming back (or a new one arriving) can make any condition true. */
const COMING_BACK: readonly TimelineEventType[] = ["contract.created", "contract.activated", "contract.resumed"];
const ENDINGS: readonly TimelineEventType[] = ["contract.cancelled", "contract.expired", "contract.failed"];
/** Events that move a risk signal up, or a positive one down, at once. */
const SCORE_MOVERS: readonly TimelineEventType[] = [
  "cycle.skipped",
  "cycle.unskipped",
  "billing.failed",
  "billing.challenged",
  "contract.paused",
  "contract.edited",
  "ticket.opened",
  "payment_method.added",
  "payment_method.updated",
  "payment_method.revoked",
];

/**
 * What to look for, for a condition over the walk from `fromMs` (the window and its lead-in) to `nowMs`.
 * For the score conditions the stored band changes stand for moves by time alone: a drop of
 * points within one band with no event behind it is not looked for.
 */
export function dryRunScope(condition: TriggerCondition, fromMs: number, nowMs: number): DryRunScope {
  const none: DryRunScope = { events: [{ types: COMING_BACK, fromMs }], bandChangesFromMs: null, signedUpFromMs: null, cardExpiry: null, eventsOnly: false };
  const plus = (types: readonly TimelineEventType[], from = fromMs): DryRunScope => ({ ...none, events: [...none.events, { types, fromMs: from }] });
  const cardExpiry = { fromMs: fromMs - 31 * DAY_MS, toMs: nowMs + MAX_BILLING_LOOKAHEAD_DAYS * DAY_MS };
  switch (condition.type) {
    case "consecutive_skips_at_least":
      return { ...plus(["cycle.skipped"]), eventsOnly: true };
    case "payment_failed":
      // A 3-D Secure challenge is an open (soft) failure too.
      return { ...plus(["billing.failed", "billing.challenged"]), eventsOnly: true };
    case "service_ticket_in_first_cycle":
      return { ...plus(["ticket.opened"]), eventsOnly: true };
    case "contract_cancelled":
      return { ...plus(ENDINGS), eventsOnly: true };
    case "card_expires_before_next_billing":
      return { ...plus(["payment_method.added", "payment_method.updated", "payment_method.revoked"]), cardExpiry };
    case "paused_longer_than":
      return plus(["contract.paused"], fromMs - (condition.days + 1) * DAY_MS);
    case "new_before_second_delivery":
      return { ...none, signedUpFromMs: fromMs - (condition.minTenureDays + 1) * DAY_MS };
    case "loyal_with_upgrades":
      return plus(["contract.edited"], fromMs - (UPGRADE_WINDOW_DAYS + 1) * DAY_MS);
    case "entered_band":
      return { ...plus(SCORE_MOVERS), bandChangesFromMs: fromMs };
    case "score_dropped":
      return { ...plus(SCORE_MOVERS, fromMs - 8 * DAY_MS), bandChangesFromMs: fromMs, cardExpiry };
  }
}
