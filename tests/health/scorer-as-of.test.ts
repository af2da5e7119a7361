// The walk's cheap scorer folds once per stretch between events: it must answer exactly
// as scoring each instant from scratch does.
import { expect, test } from "vitest";
import { defaultHealthConfig, type SubscriberFacts } from "~/health";
import { scoreAsOf, scorerAsOf } from "~/health/score";
import type { TimelineEvent, TimelineEventType } from "~/domain/timeline";

const DAY = 86_400_000;
const T0 = Date.parse("2026-01-05T10:00:00Z");
const ev = (day: number, type: TimelineEventType, data: TimelineEvent["data"] = {}, contractId: string | null = "c1"): TimelineEvent => ({ type, occurredAt: new Date(T0 + day * DAY), contractId, data });

test("scores every half day of a troubled year exactly as scoreAsOf does", () => {
  const timeline = [
    ev(0, "contract.created"),
    ev(0.1, "billing.succeeded"),
    ev(30, "billing.succeeded"),
    ev(60, "cycle.skipped"),
    ev(90, "cycle.skipped"),
    ev(100, "contract.edited", { fromMonthlyValue: 40, toMonthlyValue: 25 }),
    ev(120, "billing.failed", { errorCode: "EXPIRED_PAYMENT_METHOD" }),
    ev(121, "payment_method.updated", { cardExpiryMonth: 2, cardExpiryYear: 2027 }, null),
    ev(150, "billing.succeeded"),
    ev(160, "contract.paused"),
    ev(200, "contract.activated"),
    ev(230, "ticket.opened", {}, null),
    ev(300, "contract.cancelled"),
  ];
  const latest: SubscriberFacts = { firstSubscribedAt: new Date(T0), monthlyValue: 25, nextBillingAt: new Date(T0 + 320 * DAY), cardExpiry: { month: 2, year: 2027 }, billingIntervalDays: 30 };
  const now = new Date(T0 + 330 * DAY);
  const scorer = scorerAsOf(timeline, latest, defaultHealthConfig, now);
  for (let d = -1; d <= 331; d += 0.5) {
    const at = new Date(T0 + d * DAY);
    expect(scorer(at)).toEqual(scoreAsOf(timeline, latest, defaultHealthConfig, at, now));
  }
});
