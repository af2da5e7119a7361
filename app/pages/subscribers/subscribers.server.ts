// The subscribers pages' server side: the list (list.server.ts) and one subscriber (detail.server.ts).
export { listSubscribers, parseSubscriberQuery, subscriberQuerySchema, triggerOptions } from "./list.server";
export type { SubscriberList, SubscriberListRow, SubscriberQuery } from "./list.server";
export { subscriberDetail } from "./detail.server";
export type { ContractLine, SubscriberDetail } from "./detail.server";
export { PAGE_SIZE, defaultDirection, type SubscriberSort } from "./subscribers-options";
