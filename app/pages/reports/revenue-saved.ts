/**
 * Revenue saved by the playbook, claimed only as lift over the holdout. Someone still
 * subscribed after a play is not "saved": many would have stayed anyway, and the holdout
 * (the same trigger, no play) shows how many. Per trigger:
 *   saved subscribers = (treated still-subscribed share - holdout share) x treated firings
 *   saved monthly revenue = the same difference x the treated subscribers' monthly value
 * with the trigger's 95% interval on the difference (Newcombe). Triggers are measured
 * separately because their holdout shares and audiences differ; pooling them would mix
 * a payment-recovery rate with a win-back rate.
 */
import { newcombeDifference, type Outcome } from "../../playbook/measure";

export interface SavedFiring {
  triggerId: string;
  holdout: boolean;
  /** "pending" until the outcome window closes. */
  outcome: Outcome | null;
  /** The subscriber's monthly value when the trigger fired. */
  monthlyValue: number;
}

export interface GroupFigures {
  /** Firings whose outcome window has closed. */
  decided: number;
  /** Of those, still subscribed (retained or recovered) at the end of the window. */
  stillSubscribed: number;
  share: number | null;
}

export type SavedEstimate =
  | {
      kind: "estimate";
      /** Lift over holdout in share points (0.05 = 5 points), with its interval. */
      lift: number;
      liftLower: number;
      liftUpper: number;
      subscribers: number;
      subscribersLower: number;
      subscribersUpper: number;
      monthly: number;
      monthlyLower: number;
      monthlyUpper: number;
    }
  | { kind: "insufficient_sample"; minPerGroup: number };

export interface TriggerSaved {
  triggerId: string;
  treated: GroupFigures;
  holdout: GroupFigures;
  /** Monthly value of the treated firings with a closed window. */
  treatedMonthly: number;
  saved: SavedEstimate;
}

export interface RevenueSaved {
  triggers: TriggerSaved[];
  /** Over the triggers with enough sample; null when none has. */
  total: {
    subscribers: number;
    subscribersLower: number;
    subscribersUpper: number;
    monthly: number;
    monthlyLower: number;
    monthlyUpper: number;
    measuredTriggers: number;
  } | null;
  /** Firings still inside their outcome window: not counted anywhere yet. */
  pending: number;
  minPerGroup: number;
}

const GOOD = new Set<Outcome>(["retained", "recovered"]);
const DECIDED = new Set<Outcome>(["retained", "recovered", "cancelled", "churned"]);

function figures(firings: readonly SavedFiring[]): GroupFigures {
  const decided = firings.filter((f) => f.outcome != null && DECIDED.has(f.outcome));
  const still = decided.filter((f) => GOOD.has(f.outcome as Outcome)).length;
  return { decided: decided.length, stillSubscribed: still, share: decided.length === 0 ? null : still / decided.length };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function revenueSaved(firings: readonly SavedFiring[], opts: { minPerGroup?: number; z?: number } = {}): RevenueSaved {
  const min = opts.minPerGroup ?? 30;
  const ids = [...new Set(firings.map((f) => f.triggerId))].sort();
  const triggers = ids.map((triggerId): TriggerSaved => {
    const mine = firings.filter((f) => f.triggerId === triggerId);
    const treatedFirings = mine.filter((f) => !f.holdout);
    const treated = figures(treatedFirings);
    const holdout = figures(mine.filter((f) => f.holdout));
    const treatedMonthly = treatedFirings
      .filter((f) => f.outcome != null && DECIDED.has(f.outcome))
      .reduce((sum, f) => sum + f.monthlyValue, 0);
    if (treated.decided < min || holdout.decided < min) {
      return { triggerId, treated, holdout, treatedMonthly: round2(treatedMonthly), saved: { kind: "insufficient_sample", minPerGroup: min } };
    }
    const d = newcombeDifference(treated.stillSubscribed, treated.decided, holdout.stillSubscribed, holdout.decided, opts.z);
    return {
      triggerId,
      treated,
      holdout,
      treatedMonthly: round2(treatedMonthly),
      saved: {
        kind: "estimate",
        lift: d.difference,
        liftLower: d.lower,
        liftUpper: d.upper,
        subscribers: d.difference * treated.decided,
        subscribersLower: d.lower * treated.decided,
        subscribersUpper: d.upper * treated.decided,
        monthly: round2(d.difference * treatedMonthly),
        monthlyLower: round2(d.lower * treatedMonthly),
        monthlyUpper: round2(d.upper * treatedMonthly),
      },
    };
  });

  const measured = triggers.flatMap((t) => (t.saved.kind === "estimate" ? [t.saved] : []));
  // Triggers are independent samples: their estimates add, and the interval half-widths
  // add in quadrature (on each side separately, since Newcombe's interval is asymmetric).
  const sum = (pick: (s: (typeof measured)[number]) => number) => measured.reduce((n, s) => n + pick(s), 0);
  const spread = (pick: (s: (typeof measured)[number]) => number) => Math.sqrt(measured.reduce((n, s) => n + pick(s) ** 2, 0));
  const total =
    measured.length === 0
      ? null
      : {
          subscribers: sum((s) => s.subscribers),
          subscribersLower: sum((s) => s.subscribers) - spread((s) => s.subscribers - s.subscribersLower),
          subscribersUpper: sum((s) => s.subscribers) + spread((s) => s.subscribersUpper - s.subscribers),
          monthly: round2(sum((s) => s.monthly)),
          monthlyLower: round2(sum((s) => s.monthly) - spread((s) => s.monthly - s.monthlyLower)),
          monthlyUpper: round2(sum((s) => s.monthly) + spread((s) => s.monthlyUpper - s.monthly)),
          measuredTriggers: measured.length,
        };
  const pending = firings.filter((f) => f.outcome == null || f.outcome === "pending").length;
  return { triggers, total, pending, minPerGroup: min };
}
