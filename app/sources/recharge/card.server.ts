/**
 * The card job's read: one customer's payment methods from Recharge, through the one client
 * (paced by the token's bucket like every other request). It reads once per attempt: an
 * outage, or a 429 the client gave up on, fails the job, and the queue tries again later
 * with its backoff, while the timeline already stands on the delivery.
 */
import { PermanentError } from "../../queue/errors";
import type { ConnectorContext } from "../definition";
import type { SourceRecord } from "../types";
import { createRechargeClient, type RechargeClientOptions } from "./api.server";
import { CARD_ENRICHMENT, cardOf, cardRecord, readCardRequest } from "./card";

export async function enrichRecharge(ctx: ConnectorContext, request: { kind: string; payload: Record<string, unknown> }, client: RechargeClientOptions): Promise<SourceRecord[]> {
  if (request.kind !== CARD_ENRICHMENT) throw new PermanentError(`Recharge has no enrichment "${request.kind}"`);
  const card = readCardRequest(request.payload);
  if (!card) throw new PermanentError("the card job names no Recharge customer");
  const methods = await createRechargeClient(ctx.credentials.accessToken ?? "", { maxAttempts: 1, ...client }).listPaymentMethods(card.customerId);
  return [cardRecord(card, cardOf(methods, card.customerId))];
}
