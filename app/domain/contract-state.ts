import { isResume } from "./fold";
import { STATUS_BY_EVENT, type ContractStatus, type TimelineEventType } from "./timeline";

/** The version of a contract's state that a webhook carries. */
export interface StateVersion {
  revision: string | null;
  at: Date | null;
}

/**
 * Whether an incoming contract webhook is newer than the state we hold, so a late
 * delivery never overwrites newer state. Revision ids grow with every change of the
 * contract; where either side lacks one, the triggered-at time decides.
 */
export function isNewerState(current: StateVersion | null, incoming: StateVersion): boolean {
  if (!current) return true;
  if (current.revision && incoming.revision && /^\d+$/.test(current.revision) && /^\d+$/.test(incoming.revision)) {
    const a = BigInt(current.revision);
    const b = BigInt(incoming.revision);
    if (a !== b) return b > a;
  }
  if (!current.at) return true;
  if (!incoming.at) return false;
  return incoming.at.getTime() >= current.at.getTime();
}

export type ContractTopicKind = "create" | "update" | "activate" | "pause" | "cancel" | "expire" | "fail";

const STATUS_EVENT: Record<Exclude<ContractTopicKind, "update" | "activate">, TimelineEventType> = {
  create: "contract.created",
  pause: "contract.paused",
  cancel: "contract.cancelled",
  expire: "contract.expired",
  fail: "contract.failed",
};

/**
 * The timeline event a contract webhook means. An activation right after a pause is a
 * resume; `previousStatusEvent` is the latest status event on this contract before
 * this one's time (so a late delivery is judged at its true place in the timeline).
 * An update means an edit only when the contract's value changed.
 */
export function contractEventType(
  kind: ContractTopicKind,
  previousStatusEvent: TimelineEventType | null,
  valueChange: { from: number | null; to: number | null },
): TimelineEventType | null {
  if (kind === "activate") return isResume(previousStatusEvent ? STATUS_BY_EVENT[previousStatusEvent] : null) ? "contract.resumed" : "contract.activated";
  if (kind === "update") {
    const { from, to } = valueChange;
    return from != null && to != null && Math.abs(from - to) >= 0.005 ? "contract.edited" : null;
  }
  return STATUS_EVENT[kind];
}

export function statusFromPayload(status: string): ContractStatus {
  const s = status.toLowerCase();
  if (s === "active" || s === "paused" || s === "cancelled" || s === "expired" || s === "failed") return s;
  return "active";
}

/** A subscriber's status from their contracts': active beats paused beats ended. */
export function rollupStatus(statuses: readonly string[]): "active" | "paused" | "cancelled" | "unknown" {
  if (statuses.length === 0) return "unknown";
  if (statuses.includes("active")) return "active";
  if (statuses.includes("paused")) return "paused";
  return "cancelled";
}
