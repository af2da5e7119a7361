/**
 * `--source recharge`: the store runs Recharge, so Shopify sends Lifeline none of its
 * subscription webhooks. For its first weeks Lifeline is installed but not connected and
 * hears only the helpdesk. Then the merchant connects Recharge in Settings: the app checks
 * the token with the local Recharge server (simulator/recharge/server.ts, serving the
 * store as Recharge would list it then), registers its webhooks there and imports the
 * history, at Recharge's rate limit. From then on the local server signs and sends each
 * week's webhooks to the addresses the app registered, and the demo waits for the app to
 * finish each week, as on the Shopify path.
 */
import { RECHARGE_DEFAULT_LIMIT, startRechargeServer, type RechargeServer } from "../../simulator/recharge/server";
import { rechargeStateAt, rechargeWebhooks, type RechargeState, type RechargeWebhook } from "../../simulator/recharge/webhooks";
import { connectThroughSettings } from "./connect-through-settings";
import { countingPosts, inTimeOrder, withDistinct, type FeedContext, type FeedResult } from "./feed";
import { shopifyPosts } from "./post-deliveries";
import { WEEK_MS, addResult, postRequest, sendByWeek, type TimedPost, type WeeklyOptions } from "./send-by-week";
import type { RechargeReport } from "./summary-source";

/** The demo merchant's Recharge API token and client secret: made up, only ever sent to the local server. */
export const RECHARGE_DEMO = { accessToken: "rc_lifeline_demo_api_token", clientSecret: "rc_lifeline_demo_client_secret" };

/** Recharge as the demo's app server reaches it; start it before the app, which reads RECHARGE_API_BASE_URL at boot. */
export function startDemoRecharge(): Promise<RechargeServer> {
  // Every scope, and Recharge's default bucket (40, draining 2 a second).
  return startRechargeServer({ tokens: { [RECHARGE_DEMO.accessToken]: {} }, clientSecret: RECHARGE_DEMO.clientSecret });
}

/**
 * When the merchant connects: a third of the way through the store's history (about four
 * months into a year), on a week boundary, so the import brings in the months before and
 * webhooks tell the rest.
 */
export function rechargeConnectionTime(start: Date, end: Date): Date {
  const weeks = Math.ceil((end.getTime() - start.getTime()) / WEEK_MS);
  return new Date(start.getTime() + Math.max(1, Math.round(weeks / 3)) * WEEK_MS);
}

export async function feedThroughRecharge(recharge: RechargeServer, ctx: FeedContext): Promise<FeedResult> {
  const { store, signing, queue } = ctx;
  const connectAt = rechargeConnectionTime(store.start, store.end);
  const weekly = (start: Date): WeeklyOptions => ({
    start,
    concurrency: ctx.concurrency,
    advanceClock: (at) => ctx.admin.setAsOf(at),
    waitUntilProcessed: () => ctx.waitForWeek(),
    onWeek: ctx.onWeek,
  });
  const [ticketsBefore, ticketsAfter] = partition(shopifyPosts(signing, ctx.tickets), (p) => p.at < connectAt.getTime());

  ctx.log(`Until ${day(connectAt)} Lifeline is installed but not connected to Recharge: ${ticketsBefore.length} helpdesk tickets arrive, no subscription events.`);
  const sent = await sendByWeek(ticketsBefore, weekly(store.start));
  ctx.phase("weeks before connecting");

  // The merchant connects Recharge: the local server now lists the store as it is at that moment.
  ctx.admin.setAsOf(connectAt);
  recharge.setData(rechargeStateAt(store, connectAt));
  const importStarted = Date.now();
  const answer = await connectThroughSettings(signing.appUrl, "recharge", RECHARGE_DEMO);
  if (answer.status !== 200) throw new Error(`Settings refused to connect Recharge (HTTP ${answer.status}): ${answer.message}`);
  ctx.log(`Connected Recharge in Settings as of ${day(connectAt)}: ${answer.message}`);
  await ctx.waitFor(
    () => {
      const c = queue.sourceConnection(signing.shop, "recharge");
      if (c?.backfillStatus === "failed") throw new Error(`the Recharge import failed: ${c.backfillError}`);
      return c?.backfillStatus === "done" && queue.unfinished("source") === 0;
    },
    600_000,
    "the Recharge set-up job (webhook registration and history import)",
  );
  await ctx.waitForWeek();
  const importSeconds = (Date.now() - importStarted) / 1000;
  ctx.phase("connection and import");
  const connection = queue.sourceConnection(signing.shop, "recharge")!;
  const counts = (connection.backfillProgress.counts ?? {}) as Record<string, number>;
  ctx.log(`  imported ${counts.subscriptions ?? 0} subscriptions and ${(counts.paidCharges ?? 0) + (counts.failedCharges ?? 0) + (counts.skippedCharges ?? 0)} charges in ${importSeconds.toFixed(1)} s; ${recharge.webhooks().length} webhooks registered at Recharge`);

  // Strictly after: what happened at the moment itself is in what Recharge listed then.
  const hooks = rechargeWebhooks(store).filter((w) => w.at.getTime() > connectAt.getTime());
  const fromRecharge = countingPosts(hooks.map((w) => rechargePost(recharge, w)));
  ctx.log(`Recharge sends ${hooks.length} webhooks from ${day(connectAt)} on, with ${ticketsAfter.length} helpdesk tickets, one simulated week at a time...`);
  const after = inTimeOrder(fromRecharge.posts, ticketsAfter);
  // What Recharge lists (and includes in a subscription's webhook as its customer) is the store as of each week's end.
  // Working that out takes a moment at this size, so the next week's is made while the app works through this one.
  const stateAt = (end: number) => rechargeStateAt(store, new Date(Math.min(end, store.end.getTime())));
  let weekEnd = connectAt.getTime();
  let ready: { end: number; state: RechargeState } | null = null;
  addResult(
    sent,
    await sendByWeek(after, {
      ...weekly(connectAt),
      beforeWeek: (end) => {
        weekEnd = end.getTime();
        recharge.setData(ready?.end === weekEnd ? ready.state : stateAt(weekEnd));
      },
      waitUntilProcessed: () => {
        if (weekEnd < store.end.getTime()) ready = { end: weekEnd + WEEK_MS, state: stateAt(weekEnd + WEEK_MS) };
        return ctx.waitForWeek();
      },
    }),
  );

  const report: RechargeReport = {
    id: "recharge",
    deliveries: fromRecharge.posted(),
    acknowledged: fromRecharge.acknowledged(),
    connectedAt: connectAt,
    settingsMessage: answer.message,
    webhooksAtRecharge: recharge.webhooks().length,
    webhooksKept: connection.webhooksRegistered,
    webhooks: recharge.webhooks().map((w) => ({ topic: w.topic, address: w.address })),
    import: {
      status: connection.backfillStatus,
      error: connection.backfillError,
      pages: Number(connection.backfillProgress.pages ?? 0),
      counts,
      seconds: importSeconds,
    },
    api: {
      requests: recharge.requests.length,
      byEndpoint: tally(recharge.requests.map((r) => `${r.method} ${r.path}`)),
      throttled: recharge.throttled().length,
      bucketPeak: recharge.bucketPeak(RECHARGE_DEMO.accessToken),
      bucketSize: RECHARGE_DEFAULT_LIMIT.size,
    },
  };
  return { sent: withDistinct(sent, [...ticketsBefore, ...after]), report };
}

/** One of Recharge's webhooks, signed (both schemes, as Recharge sends them) by the local server, to each address registered for its topic. */
function rechargePost(recharge: RechargeServer, w: RechargeWebhook): TimedPost {
  const resource = w.topic.split("/")[0];
  const object = w.body[resource] as Record<string, unknown>;
  return {
    at: w.at.getTime(),
    topic: `recharge:${w.topic}`,
    eventId: `${w.topic}:${String(object.id)}:${String(object.updated_at)}`,
    post: async () => {
      const deliveries = recharge.deliveries(w.topic, object, { scheme: "both" });
      if (deliveries.length === 0) return [{ status: 0, detail: `no webhook is registered at Recharge for ${w.topic}` }];
      return Promise.all(deliveries.map((d) => postRequest(d.url, d.headers, d.body)));
    },
  };
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

function tally(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

const day = (d: Date) => d.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
