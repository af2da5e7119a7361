/**
 * The pipeline's workers, and what every queue's jobs do: the one place that knows
 * both the queue and the handlers. The server starts it in-process
 * (app/queue/boot.server.ts) and `npm run worker` starts it on its own
 * (scripts/worker.ts): the same workers, so either way every queue runs.
 * Routes never import this module; they queue work with app/queue/jobs.server.ts.
 *
 *   inbox    webhook      Shopify and helpdesk deliveries, then scoring and the digest check
 *   shopify  backfill     the install's import of existing contracts (Admin API)
 *            enrich       one contract's details from the Admin API
 *            shop_context the shop's currency, time zone and email (Admin API), after install
 *   sources  source       a subscription app's webhook registration and history import (its own API)
 *   checks   score-check  the store's score replayed against its own cancels, and weights fitted on it
 *            score-fit    once a month after a check: the store's weights fitted to its history, adopted only if better
 *   plays    play         a firing's Klaviyo event or profile update
 *            flow         a band change's Shopify Flow trigger
 *            digest       the weekly at-risk digest to the store owner
 */
import { tuneDatabase } from "./db.server";
import { scoringPass } from "./rescore/index.server";
import { runScoreCheckJob } from "./health/score-check.server";
import { queueStoreFitIfDue, runStoreFitJob } from "./health/fit/store-fit.server";
import type { Logger } from "./log.server";
import { createPlayHandler, type PlayHandlerOptions } from "./plays/deliver.server";
import { createDigestHandler } from "./plays/deliver-digest.server";
import { createFlowHandler } from "./plays/deliver-flow.server";
import { digestPass } from "./plays/digest.server";
import { createPrismaJobQueue, notifyWorkers } from "./queue/jobs.server";
import { createWorker, type Worker } from "./queue/worker.server";
import { runBackfillJob } from "./intake/backfill.server";
import { runEnrichmentJob } from "./intake/enrich.server";
import { runShopContextJob } from "./intake/shop-context.server";
import { runSourceJob } from "./sources/jobs.server";
import { markDeliveriesProcessed, prefetchDeliveries, processDeliveryJob } from "./intake/process.server";

export interface WorkersOptions {
  /** The clock every worker and handler reads (tests move it by hand). */
  now?: () => Date;
  log?: Logger;
  idlePollMs?: number;
  /** The rescore worker's rest after a pass that did work (default 3 s). */
  rescoreRestMs?: number;
  /** How plays and digests reach Klaviyo (rate limiter, base URL, timeouts). */
  klaviyo?: Omit<PlayHandlerOptions, "now">;
}

export interface Workers {
  /** Inbox deliveries: Shopify's webhooks and helpdesk tickets onto the timeline. */
  inbox: Worker;
  /** The rescore stage: subscribers whose timelines changed, the daily decay pass, the weekly digest check. */
  rescore: Worker;
  /** The score check after each rescore run (score accuracy and suggested weights). */
  checks: Worker;
  /** Jobs that page through the Admin API: an outage there delays them and nothing else. */
  shopify: Worker;
  /** A subscription app's setup and history import: its API's rate limit and outages delay these and nothing else. */
  sources: Worker;
  /** What goes out: Klaviyo plays, Flow triggers and digests, so webhooks never wait behind their rate limits. */
  plays: Worker;
  all: Worker[];
  start(): void;
  /** Lets the jobs in hand finish; resolves when every loop has exited. */
  stop(): Promise<void>;
  /** Runs the inbox and Shopify workers until neither has anything due (tests, scripts). Returns how many jobs ran. */
  drainIntake(): Promise<number>;
}

export function createWorkers(options: WorkersOptions = {}): Workers {
  const now = options.now ?? (() => new Date());
  const queue = createPrismaJobQueue();
  const common = { queue, now, log: options.log, idlePollMs: options.idlePollMs };

  const inbox = createWorker({
    ...common,
    name: "inbox",
    handlers: { webhook: (job, batch) => processDeliveryJob(job, batch, now()) },
    // Larger batches score a subscriber once for several of their deliveries.
    batchSize: 100,
    beforeBatch: prefetchDeliveries,
    onCompleted: async (jobs, at) => {
      await markDeliveriesProcessed(jobs, at);
      // Deliveries may have queued enrichment and marked subscribers for rescoring: no need to wait for a poll.
      notifyWorkers("enrich");
      notifyWorkers("rescore");
    },
  });

  // The rescore stage runs beside the intake, never in its way: while history pours in
  // (a backfill, an import, a catch-up) each pass takes everything marked since the last
  // one, so a subscriber with many late deliveries is walked once for all of them.
  const rescore = createWorker({
    ...common,
    name: "rescore",
    handlers: {},
    wakeOn: ["rescore"],
    // A pass takes everything marked since the last: a few seconds between passes while
    // deliveries keep coming means each subscriber is walked once for many of them.
    restAfterWorkMs: options.rescoreRestMs ?? 3_000,
    // Score the subscribers whose timelines changed, then queue any weekly digest that has come due.
    afterBatch: async (at) => (await scoringPass(at)) + (await digestPass(at)),
  });

  // After a rescore run, the score check the reports and settings pages read: seconds of
  // replay on a large store, on its own worker so scoring never waits behind it.
  const checks = createWorker({
    ...common,
    name: "checks",
    handlers: {
      // A month after the last fit, the check is followed by a new fit of the store's weights.
      "score-check": async (job) => {
        await runScoreCheckJob(job, now());
        await queueStoreFitIfDue(job.shop, now());
      },
      "score-fit": (job) => runStoreFitJob(job, now()),
    },
  });

  const shopify = createWorker({
    ...common,
    name: "shopify",
    handlers: {
      backfill: (job) => runBackfillJob(job, now()),
      enrich: (job) => runEnrichmentJob(job, now()),
      shop_context: (job) => runShopContextJob(job, now()),
    },
  });

  const sources = createWorker({
    ...common,
    name: "sources",
    handlers: { source: (job) => runSourceJob(job, now()) },
  });

  const plays = createWorker({
    ...common,
    name: "plays",
    handlers: {
      play: createPlayHandler({ ...options.klaviyo, now }),
      flow: createFlowHandler(),
      digest: createDigestHandler(options.klaviyo),
    },
  });

  const all = [inbox, shopify, sources, rescore, checks, plays];
  return {
    inbox,
    shopify,
    sources,
    rescore,
    checks,
    plays,
    all,
    start: () => all.forEach((w) => w.start()),
    stop: async () => {
      await Promise.all(all.map((w) => w.stop()));
    },
    async drainIntake() {
      let total = 0;
      for (;;) {
        // Each can leave work for the next (a delivery queues enrichment; both mark for scoring).
        const ran = (await inbox.drain()) + (await shopify.drain()) + (await sources.drain()) + (await rescore.drain());
        if (ran === 0) return total;
        total += ran;
      }
    },
  };
}

/** Prepares the database and starts every worker: the server's in-process start and `npm run worker` alike. */
export async function startWorkers(options: WorkersOptions = {}): Promise<Workers> {
  await tuneDatabase();
  const workers = createWorkers(options);
  workers.start();
  return workers;
}
