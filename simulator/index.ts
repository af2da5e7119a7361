/**
 * A deterministic simulated Shopify subscription store: subscribers who churn the way
 * real ones do, the webhooks their lives produce, and an Admin GraphQL responder.
 */
export type {
  ChurnCause,
  SimulatedContract,
  SimulatedDelivery,
  SimulatedSubscriber,
  SimulatorInput,
  SimulatorOptions,
} from "./types";
export type { SimulatedStore } from "./store";
export { simulateSubscribers, buildStore } from "./store";
export { deliveriesFor } from "./deliveries";
export { HELPDESK_TOPIC, helpdeskDeliveries } from "./helpdesk";
export { answerAdminGraphql } from "./admin-graphql";
export { PARAMS, monthlyValue } from "./behaviour";
export { Rng, mixSeed } from "./random";
export { defaultProfile, drawProfile, HELD_OUT_PROFILE_SEEDS, TUNING_PROFILE_SEEDS, type ChurnProfile } from "./profiles";
