/** Shapes shared across the simulator: options, the simulated subscriber, and the raw facts. */
import type { ContractStatus, TimelineEvent } from "../app/domain/timeline";
import type { ChurnProfile } from "./params";

export interface SimulatorOptions {
  /** Everything derives from this; same seed, same store. */
  seed: number;
  subscribers: number;
  months: number;
  /** The simulation's "today"; the window starts `months` calendar months earlier. */
  end: Date;
  shopDomain: string;
  /** Shop currency. */
  currency?: string;
  /** Share of deliveries Shopify sends twice. */
  duplicateRate?: number;
  /** Share of deliveries that arrive late, out of order. */
  lateRate?: number;
  /** How this store's subscribers behave and churn (profiles.ts); the demo store's by default. */
  profile?: ChurnProfile;
}

/** What callers pass: only `end` is required (there is no clock to default it from). */
export type SimulatorInput = Partial<SimulatorOptions> & Pick<SimulatorOptions, "end">;

export type ChurnCause = "onboarding" | "experience" | "skip_fatigue" | "payment_failure" | "service_issue" | "price";

export type BillingInterval = "week" | "month";

export interface SimLine {
  /** gid://shopify/SubscriptionLine/<uuid> */
  id: string;
  title: string;
  variantTitle: string | null;
  quantity: number;
  /** Price per delivery, in the contract's currency. */
  price: number;
}

export interface SimCard {
  token: string;
  brand: string;
  lastDigits: string;
  month: number;
  year: number;
  name: string;
}

export interface SimulatedContract {
  id: number;
  createdAt: Date;
  originOrderId: number;
  currency: string;
  interval: BillingInterval;
  intervalCount: number;
  /** Set only on fixed-term plans; reaching it expires the contract. */
  maxCycles: number | null;
  minCycles: number | null;
  /** Lines at creation; later lines travel on the "edit" facts. */
  lines: SimLine[];
  /** Status at the end of the simulation. */
  status: ContractStatus;
  endedAt: Date | null;
}

/** Internal record of one thing that happened; timeline and webhooks both derive from these. */
export type SimFact =
  | { kind: "contract"; at: number; contract: number; topic: "create" | "activate" | "pause" | "cancel" | "fail" | "expire"; revision: number }
  | { kind: "edit"; at: number; contract: number; revision: number; status: "active" | "paused"; lines: SimLine[]; fromValue: number; toValue: number }
  | { kind: "cycle"; at: number; contract: number; topic: "skip" | "unskip"; cycleIndex: number; cycleStart: number; cycleEnd: number }
  | {
      kind: "billing";
      at: number;
      contract: number;
      topic: "success" | "failure" | "challenged";
      attemptId: number | null;
      idempotencyKey: string;
      orderId: number | null;
      /** As sent: may be lower-case, unknown, or null. */
      errorCode: string | null;
      errorMessage: string | null;
    }
  | { kind: "payment_method"; at: number; topic: "create" | "update" | "revoke"; card: SimCard }
  | { kind: "ticket"; at: number; contract: number; subject: string };

export interface SimulatedSubscriber {
  /** Position in the store; with the seed it identifies the subscriber's random stream. */
  index: number;
  customerId: number;
  email: string;
  firstName: string;
  lastName: string;
  contracts: SimulatedContract[];
  /** The domain events the app should derive, chronological. */
  timeline: TimelineEvent[];
  tickets: { openedAt: Date; subject: string; contractId: string }[];
  truth: { cancelledAt: Date | null; cause: ChurnCause | null; contractId: string | null };
  /** Raw facts, chronological; `contract` indexes `contracts`. */
  facts: SimFact[];
}

export interface SimulatedDelivery {
  topic: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  sendAt: string;
  payload: Record<string, unknown>;
}
