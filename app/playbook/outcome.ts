/**
 * What happened after a firing, read from the subscriber's timeline as it stood when
 * the outcome window closed. Later events are ignored so that reading an outcome late
 * (the job ran a day after the window closed) gives the same answer as reading it on time.
 */
import { STATUS_BY_EVENT, type TimelineEvent } from "../domain/timeline";
import type { ConditionType } from "./schema";

export type DecidedOutcome = "retained" | "recovered" | "cancelled" | "churned";

/**
 * How success is judged depends on what the trigger was about:
 * - payment: the money came in (a later successful charge) = recovered;
 * - winback: the subscriber had already cancelled, so coming back = recovered and
 *   staying gone = churned;
 * - retention: everything else; still subscribed = retained.
 */
export type OutcomeKind = "payment" | "winback" | "retention";

export function outcomeKindOf(condition: ConditionType): OutcomeKind {
  if (condition === "payment_failed") return "payment";
  if (condition === "contract_cancelled") return "winback";
  return "retention";
}

export interface OutcomeInput {
  kind: OutcomeKind;
  firedAt: Date;
  /** The end of the trigger's outcome window. */
  dueAt: Date;
  timeline: readonly TimelineEvent[];
  /** The subscriber's stored status, used only when the timeline has no contract events. */
  currentStatus: string;
}

const ENDED = new Set(["cancelled", "expired", "failed"]);

export function decideOutcome(input: OutcomeInput): DecidedOutcome {
  const fired = input.firedAt.getTime();
  const due = input.dueAt.getTime();
  const contracts = new Map<string, string>();
  let chargedAfterFiring = false;
  for (const e of [...input.timeline].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    const t = e.occurredAt.getTime();
    if (t > due) break;
    const status = STATUS_BY_EVENT[e.type];
    if (status) contracts.set(e.contractId ?? "", status);
    if (e.type === "billing.succeeded" && t > fired) chargedAfterFiring = true;
  }
  const ended =
    contracts.size === 0 ? input.currentStatus === "cancelled" : [...contracts.values()].every((s) => ENDED.has(s));

  if (input.kind === "winback") return ended ? "churned" : "recovered";
  if (ended) return "cancelled";
  if (input.kind === "payment" && chargedAfterFiring) return "recovered";
  return "retained";
}
