/**
 * Recharge as a source: its webhooks verified by either of its documented schemes, its
 * subscription, charge and customer objects as timeline events. Contracts are Recharge
 * subscriptions, stored as `recharge:<subscription id>`. The API side (test connection,
 * webhook registration, history import) is the connector, set beside this definition.
 */
import type { SourceDefinition } from "../definition";
import { RECHARGE_TOPICS, rechargeRecords } from "./topics";
import { verifyRecharge } from "./verify";

export const recharge: SourceDefinition = {
  id: "recharge",
  name: "Recharge",
  topics: RECHARGE_TOPICS,
  credentialFields: [
    {
      key: "accessToken",
      label: "API access token",
      helpText:
        "In Recharge, open Tools & apps > API tokens and create a token for Lifeline with read access to Subscriptions, Orders (charges), Customers and Payment methods. Paste the token shown after saving.",
    },
    {
      key: "clientSecret",
      label: "API client secret",
      helpText: "On the same token's page in Recharge (Tools & apps > API tokens, then the token's name), copy the API client secret: Recharge signs its webhooks with it.",
    },
  ],
  verify: verifyRecharge,
  toRecords: rechargeRecords,
  contractKey: (id) => `recharge:${id}`,
};
