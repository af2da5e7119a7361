// Flow action requests as Shopify Flow sends them (the shape of the docs' sample,
// fixtures/shopify-flow/action-request.json), posted through the real route's action.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { signFlowRequest, type FlowActionBody } from "../../../simulator/flow";
import * as route from "~/routes/api.flow.record-event";

export const SAMPLE = JSON.parse(readFileSync(path.resolve(__dirname, "../../../../shared/fixtures/shopify-flow/action-request.json"), "utf8")) as FlowActionBody;

/** A run of the action on `shop` with these properties (the customer as Flow sends it: the numeric id as text). */
export function run(shop: string, properties: Record<string, string | number>, runId: string = randomUUID()): FlowActionBody {
  return {
    ...SAMPLE,
    shopify_domain: shop,
    action_run_id: runId,
    action_definition_id: "Record subscription event in Lifeline",
    handle: "record-subscription-event",
    properties: { step_reference: SAMPLE.properties.step_reference, ...properties } as FlowActionBody["properties"],
  };
}

export interface SendOptions {
  secret?: string;
  /** null: no signature header at all. */
  hmac?: string | null;
}

/** Posts a run to /api/flow/record-event, signed with the app's secret unless told otherwise. */
export async function send(body: FlowActionBody | string, opts: SendOptions = {}): Promise<Response> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers = signFlowRequest(raw, opts.secret ?? process.env.SHOPIFY_API_SECRET!);
  if (opts.hmac === null) delete headers["x-shopify-hmac-sha256"];
  else if (opts.hmac !== undefined) headers["x-shopify-hmac-sha256"] = opts.hmac;
  const request = new Request("https://lifeline.test/api/flow/record-event", { method: "POST", body: raw, headers });
  return route.action({ request, params: {}, context: {} });
}
