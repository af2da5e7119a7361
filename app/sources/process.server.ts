import { writeTransaction } from "../db-direct.server";
import { PermanentError } from "../queue/errors";
import type { DeliveryContext } from "../intake/context";
import { applySourceRecords } from "./apply.server";
import type { SourceDefinition } from "./definition";
import { SourcePayloadError } from "./types";

/**
 * The worker's handling of one source delivery: the vendor's payload as records, written
 * in one transaction. A topic the source does not read, or a payload it cannot read, can
 * never succeed: it is final at once, and the delivery stays in the inbox with the reason.
 */
export async function handleSourceDelivery(ctx: DeliveryContext, source: SourceDefinition, topic: string): Promise<void> {
  if (!source.topics.includes(topic)) throw new PermanentError(`${source.name} topic ${topic} is not one Lifeline reads`);
  let records;
  try {
    records = source.toRecords(topic, ctx.payload, ctx.occurredAt);
  } catch (error) {
    if (error instanceof SourcePayloadError) throw new PermanentError(`${source.name} ${topic}: ${error.message}`);
    throw error;
  }
  await writeTransaction((db) => {
    try {
      applySourceRecords(db, ctx.shop, source, records, ctx.now);
    } catch (error) {
      if (error instanceof SourcePayloadError) throw new PermanentError(`${source.name} ${topic}: ${error.message}`);
      throw error;
    }
  });
}
