/**
 * Seal Subscriptions (https://apps.shopify.com/seal-subscriptions): webhooks signed with
 * the shop's API secret, and a subscriptions list for the history import. What each field
 * is read as, and how sure that is, is in README.md beside this file.
 */
import type { SourceDefinition } from "../definition";
import { sealConnector } from "./connector.server";
import { SEAL_TOPICS, sealRecord } from "./records";
import { verifySeal } from "./verify";

export const seal: SourceDefinition = {
  id: "seal",
  name: "Seal Subscriptions",
  topics: SEAL_TOPICS,
  credentialFields: [
    { key: "apiToken", label: "API token", helpText: "Seal Subscriptions → Settings → General Settings → API: the token (sent as X-Seal-Token)." },
    { key: "apiSecret", label: "API secret", helpText: "On the same page: the secret Seal signs its webhooks with." },
  ],
  verify: verifySeal,
  toRecords(topic, payload, receivedAt) {
    // Seal's bodies carry no time of their own for some changes: the delivery's time stands in.
    if (!receivedAt) throw new Error("Seal deliveries need the time they were received");
    return [sealRecord(topic, payload, receivedAt)];
  },
  // Records name Shopify's contract id when the body has it, else "seal:<Seal's id>" (see records.ts).
  contractKey: (id) => (/^\d+$/.test(id) || id.startsWith("seal:") ? id : `seal:${id}`),
  connector: sealConnector,
};
