/**
 * The playbook a new store starts with. Each trigger is a well-worn retention move for
 * subscription businesses; the merchant can edit or disable any of them.
 *
 * Holdouts: 10% on plays whose value is worth proving (skip streak, at risk, onboarding,
 * win-back, loyalty). 0% on payment and card plays and on first-cycle service recovery:
 * there the benefit is established, the subscriber is waiting on the merchant, and a
 * holdout would knowingly lose revenue or leave a complaint unanswered. Where a trigger
 * with a holdout also carries a task whose point is learning rather than treatment
 * (capturing why someone cancelled), that task is marked `runInHoldout`.
 *
 * Tasks: a person's time goes where it pays. Win-backs go out as the Klaviyo flow to
 * everyone, with a task only for high-value subscribers (`taskFor`); the other task plays
 * are for people waiting on the merchant (a card to update, a first-cycle complaint) or a
 * crossing into at risk, which the weekly list ranks by value.
 */
import { LIFELINE_METRICS as M } from "./metrics";
import { triggerSchema, type TriggerDefinition, type TriggerInput } from "./schema";

const DEFAULT_OWNER = "Store owner";

const inputs: TriggerInput[] = [
  {
    id: "skip-streak",
    name: "Two skips in a row",
    condition: { type: "consecutive_skips_at_least", n: 2 },
    cooldownDays: 30,
    priority: "normal",
    slaHours: 72,
    plays: [{ kind: "klaviyo_event", metric: M.skipStreak.name }],
    holdoutPercent: 10,
    outcomeWindowDays: 60,
  },
  {
    id: "payment-failed-soft",
    name: "Payment failed (soft decline)",
    condition: { type: "payment_failed", failureClass: "soft_decline" },
    cooldownDays: 7,
    priority: "high",
    slaHours: 24,
    plays: [{ kind: "klaviyo_event", metric: M.paymentFailed.name }],
    holdoutPercent: 0,
    outcomeWindowDays: 14,
  },
  {
    id: "payment-failed-hard",
    name: "Payment failed (card must be updated)",
    condition: { type: "payment_failed", failureClass: "hard_decline" },
    cooldownDays: 14,
    priority: "urgent",
    slaHours: 24,
    plays: [
      { kind: "klaviyo_event", metric: M.paymentFailed.name },
      { kind: "task", suggestedAction: "Contact the subscriber and ask them to update their payment method." },
    ],
    holdoutPercent: 0,
    outcomeWindowDays: 14,
  },
  {
    id: "card-expiring",
    name: "Card expires before next billing",
    condition: { type: "card_expires_before_next_billing" },
    cooldownDays: 30,
    priority: "normal",
    slaHours: 72,
    plays: [{ kind: "klaviyo_event", metric: M.cardExpiring.name }],
    holdoutPercent: 0,
    outcomeWindowDays: 30,
  },
  {
    id: "first-cycle-ticket",
    name: "Support ticket in the first cycle",
    condition: { type: "service_ticket_in_first_cycle" },
    cooldownDays: 30,
    priority: "urgent",
    slaHours: 4,
    plays: [
      { kind: "task", suggestedAction: "Reply personally, fix the problem and offer a make-good on the next box." },
      { kind: "klaviyo_event", metric: M.serviceRecovery.name },
    ],
    holdoutPercent: 0,
    outcomeWindowDays: 45,
  },
  {
    id: "cancelled-winback",
    name: "Cancelled: win back",
    condition: { type: "contract_cancelled" },
    cooldownDays: 90,
    priority: "normal",
    slaHours: 48,
    plays: [
      { kind: "klaviyo_event", metric: M.cancelled.name },
      { kind: "task", suggestedAction: "Call or write personally: ask why they left and what would bring them back.", runInHoldout: true },
    ],
    // The Klaviyo win-back flow reaches everyone; a person's call only where it pays.
    taskFor: "high_value",
    holdoutPercent: 10,
    outcomeWindowDays: 60,
  },
  {
    id: "entered-at-risk",
    name: "Crossed into at risk",
    condition: { type: "entered_band", band: "at_risk" },
    cooldownDays: 30,
    priority: "high",
    slaHours: 48,
    plays: [
      { kind: "task", suggestedAction: "Review the subscriber's timeline and reach out before the next billing." },
      { kind: "klaviyo_event", metric: M.atRisk.name },
    ],
    holdoutPercent: 10,
    outcomeWindowDays: 45,
  },
  {
    id: "onboarding-check",
    name: "New subscriber: check in before the second delivery",
    condition: { type: "new_before_second_delivery", minTenureDays: 7 },
    cooldownDays: 60,
    priority: "low",
    slaHours: 72,
    plays: [{ kind: "klaviyo_event", metric: M.onboardingCheck.name }],
    holdoutPercent: 10,
    outcomeWindowDays: 45,
  },
  {
    id: "loyalty-ask",
    name: "Loyal and upgrading: ask for a referral",
    condition: { type: "loyal_with_upgrades", minTenureDays: 180, minUpgrades: 1 },
    cooldownDays: 90,
    priority: "low",
    slaHours: 168,
    plays: [{ kind: "klaviyo_event", metric: M.loyaltyAsk.name }],
    holdoutPercent: 10,
    outcomeWindowDays: 90,
  },
];

/** Parsed through the schema so defaults (enabled, owner, runInHoldout) are filled in and checked. */
export const DEFAULT_PLAYBOOK: readonly TriggerDefinition[] = inputs.map((t) =>
  triggerSchema.parse({ owner: DEFAULT_OWNER, enabled: true, ...t }),
);

/** A fresh, mutable copy for a new store to save and edit. */
export function defaultPlaybook(): TriggerDefinition[] {
  return structuredClone(DEFAULT_PLAYBOOK) as TriggerDefinition[];
}
