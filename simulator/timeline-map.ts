/** What the app should derive from the simulated webhooks (and helpdesk tickets): the expected timeline. */
import { classifyFailure, normaliseErrorCode } from "../app/domain/failure-class";
import type { TimelineEvent, TimelineEventType } from "../app/domain/timeline";
import type { SimFact, SimulatedContract } from "./types";

const CONTRACT_EVENT: Record<string, TimelineEventType> = {
  create: "contract.created",
  // An activate webhook only follows a pause in this store, so it means "resumed".
  activate: "contract.resumed",
  pause: "contract.paused",
  cancel: "contract.cancelled",
  fail: "contract.failed",
  expire: "contract.expired",
};

const PAYMENT_METHOD_EVENT: Record<string, TimelineEventType> = {
  create: "payment_method.added",
  update: "payment_method.updated",
  revoke: "payment_method.revoked",
};

/** Facts must be chronological; the result is too. */
export function timelineFor(facts: readonly SimFact[], contracts: readonly SimulatedContract[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const f of facts) {
    const occurredAt = new Date(f.at);
    switch (f.kind) {
      case "contract":
        out.push({ type: CONTRACT_EVENT[f.topic], occurredAt, contractId: String(contracts[f.contract].id), data: {} });
        break;
      case "edit":
        // Edits that leave the value unchanged (address, delivery day) are not value events.
        if (f.fromValue !== f.toValue) {
          out.push({
            type: "contract.edited",
            occurredAt,
            contractId: String(contracts[f.contract].id),
            data: { fromMonthlyValue: f.fromValue, toMonthlyValue: f.toValue },
          });
        }
        break;
      case "cycle":
        out.push({
          type: f.topic === "skip" ? "cycle.skipped" : "cycle.unskipped",
          occurredAt,
          contractId: String(contracts[f.contract].id),
          data: { cycleIndex: f.cycleIndex },
        });
        break;
      case "billing": {
        const contractId = String(contracts[f.contract].id);
        if (f.topic === "success") out.push({ type: "billing.succeeded", occurredAt, contractId, data: {} });
        else if (f.topic === "challenged") out.push({ type: "billing.challenged", occurredAt, contractId, data: {} });
        else {
          out.push({
            type: "billing.failed",
            occurredAt,
            contractId,
            data: { errorCode: normaliseErrorCode(f.errorCode), failureClass: classifyFailure(f.errorCode), errorMessage: f.errorMessage },
          });
        }
        break;
      }
      case "payment_method":
        out.push({
          type: PAYMENT_METHOD_EVENT[f.topic],
          occurredAt,
          contractId: null,
          data: { cardExpiryMonth: f.card.month, cardExpiryYear: f.card.year },
        });
        break;
      case "ticket":
        out.push({
          type: "ticket.opened",
          occurredAt,
          contractId: String(contracts[f.contract].id),
          data: { ticketSource: "helpdesk", ticketSubject: f.subject },
        });
        break;
    }
  }
  return out;
}
