import { writeTransaction } from "../../db-direct.server";
import { classifyFailure, normaliseErrorCode } from "../../domain/failure-class";
import type { TimelineEventType } from "../../domain/timeline";
import { billingAttemptPayload, billingCyclePayload } from "../payloads";
import { parsePayload, type DeliveryContext } from "../context";
import { recordContractEvents } from "./resolve-contract.server";

const ATTEMPT_EVENT = {
  success: "billing.succeeded",
  failure: "billing.failed",
  challenged: "billing.challenged",
} as const satisfies Record<string, TimelineEventType>;

/** subscription_billing_attempts/*: a payment outcome, failures with their code and class. */
export async function handleBillingAttempt(ctx: DeliveryContext, outcome: keyof typeof ATTEMPT_EVENT): Promise<void> {
  const p = parsePayload(billingAttemptPayload, ctx);
  const type = ATTEMPT_EVENT[outcome];
  const errorCode = normaliseErrorCode(p.error_code);
  const event = {
    type,
    occurredAt: ctx.occurredAt,
    contractId: p.subscription_contract_id,
    sourceKey: `${ctx.deliveryKey}:${type}`,
    data: outcome === "failure" ? { errorCode, failureClass: classifyFailure(errorCode), errorMessage: p.error_message ?? null } : {},
  };
  await writeTransaction((db) => recordContractEvents(db, ctx.shop, p.subscription_contract_id, [event], ctx.now));
}

const CYCLE_EVENT = {
  skip: "cycle.skipped",
  unskip: "cycle.unskipped",
  edit: "cycle.edited",
} as const satisfies Record<string, TimelineEventType>;

/** subscription_billing_cycles/skip|unskip and subscription_billing_cycle_edits/*. */
export async function handleBillingCycle(ctx: DeliveryContext, change: keyof typeof CYCLE_EVENT): Promise<void> {
  const p = parsePayload(billingCyclePayload, ctx);
  const type = CYCLE_EVENT[change];
  const event = {
    type,
    occurredAt: ctx.occurredAt,
    contractId: p.subscription_contract_id,
    sourceKey: `${ctx.deliveryKey}:${type}`,
    data: { cycleIndex: p.cycle_index },
  };
  await writeTransaction((db) => recordContractEvents(db, ctx.shop, p.subscription_contract_id, [event], ctx.now));
}
