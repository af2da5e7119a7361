/**
 * `--source flow`: the store's subscription app is one Lifeline reaches through Shopify
 * Flow, so Shopify sends Lifeline none of its subscription webhooks. The store's workflows
 * end in Lifeline's Flow action, which posts each run to /api/flow/record-event signed with
 * the app's secret (simulator/flow: the requests Flow would send for every event), week by
 * week from the install, with the helpdesk's tickets beside them. Flow names only the
 * customer; the app asks the Admin API stand-in (CustomerIdentity) for the name.
 */
import { flowActionRequestsFor, signFlowRequest, type FlowActionRequest } from "../../simulator/flow";
import { countingPosts, inTimeOrder, withDistinct, type FeedContext, type FeedResult } from "./feed";
import { shopifyPosts, type SigningOptions } from "./post-deliveries";
import { postRequest, sendByWeek, type TimedPost } from "./send-by-week";

export async function feedThroughFlow(ctx: FeedContext): Promise<FeedResult> {
  const requests = flowActionRequestsFor(ctx.store);
  const fromFlow = countingPosts(requests.map((r) => flowPost(ctx.signing, r)));
  ctx.log(`Shopify Flow posts ${requests.length} action requests, with ${ctx.tickets.length} helpdesk tickets, one simulated week at a time...`);
  const posts = inTimeOrder(fromFlow.posts, shopifyPosts(ctx.signing, ctx.tickets));
  const sent = await sendByWeek(posts, {
    start: ctx.store.start,
    concurrency: ctx.concurrency,
    advanceClock: (at) => ctx.admin.setAsOf(at),
    waitUntilProcessed: () => ctx.waitForWeek(),
    onWeek: ctx.onWeek,
  });
  return { sent: withDistinct(sent, posts), report: { id: "flow", deliveries: fromFlow.posted(), acknowledged: fromFlow.acknowledged() } };
}

function flowPost(signing: SigningOptions, r: FlowActionRequest): TimedPost {
  const raw = JSON.stringify(r.body);
  return {
    at: Date.parse(r.at),
    topic: `flow:${r.body.properties.event ?? "?"}`,
    eventId: r.body.action_run_id,
    post: async () => [await postRequest(`${signing.appUrl}/api/flow/record-event`, signFlowRequest(raw, signing.secret), raw)],
  };
}
