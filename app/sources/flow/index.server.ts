/**
 * Shopify Flow as a source: the app's Flow action "Record subscription event in Lifeline"
 * (extensions/record-subscription-event) posts each run to /api/flow/record-event. It
 * bridges any subscription app built on Shopify's subscription contracts: Shopify's own
 * subscription triggers and the apps' triggers (Appstle's) start workflows that end in
 * this action (extensions/flow-template-*). Signed with the app's own secret, so there
 * is nothing for the merchant to connect, and the contracts are Shopify's own: their ids
 * are stored bare, as the Shopify path stores them.
 */
import type { SourceDefinition } from "../definition";
import { FLOW_KIND_NAMES } from "./kinds";
import { flowRecords } from "./records";
import { verifyFlowRequest } from "./verify";

export const flow: SourceDefinition = {
  id: "flow",
  name: "Shopify Flow",
  topics: FLOW_KIND_NAMES,
  credentialFields: [],
  verify: verifyFlowRequest,
  toRecords: flowRecords,
  contractKey: (contractId) => contractId,
};
