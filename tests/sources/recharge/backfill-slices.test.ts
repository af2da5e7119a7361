// The Recharge import in slices: a run stops at a saved page once its time is up and hands the
// job back to the queue (RetryLaterError, not counted as a failure), so it never outlives a
// worker's lease; the next run starts at the saved cursor. Run here page by page, directly.
import { afterAll, expect, test } from "vitest";
import { RetryLaterError } from "~/queue/errors";
import type { BackfillRun } from "~/sources/definition";
import type { SourceRecord } from "~/sources/types";
import { backfillRecharge, readBackfillProgress } from "~/sources/recharge/backfill.server";
import { createRechargePacer } from "~/sources/recharge/rate-limit";
import { buildRechargeDataSet } from "../../../simulator/recharge/dataset";
import { startRechargeServer } from "../../../simulator/recharge/server";

const TOKEN = "sk_slices_token";
const server = await startRechargeServer({ data: buildRechargeDataSet({ subscriptions: 600 }), tokens: { [TOKEN]: { limit: false } } });
afterAll(() => server.stop());

const client = { baseUrl: server.baseUrl, pacer: createRechargePacer({ limit: { size: 10_000, leakPerSecond: 10_000 } }) };

function runOf(progress: Record<string, unknown>, written: SourceRecord[], saved: Record<string, unknown>[]): BackfillRun {
  return {
    shop: "slices.myshopify.com",
    credentials: { accessToken: TOKEN },
    now: new Date(),
    webhooksSince: new Date(),
    progress,
    savePage: async (records, next) => {
      written.push(...records);
      saved.push(next);
    },
  };
}

test("with no time per slice, each run reads one page and the last run finishes where an unbroken import does", async () => {
  const whole: SourceRecord[] = [];
  await backfillRecharge(runOf({}, whole, []), { client });
  const unbroken = server.requests.length;
  server.reset();

  const sliced: SourceRecord[] = [];
  const saved: Record<string, unknown>[] = [];
  let progress: Record<string, unknown> = {};
  let runs = 0;
  for (;;) {
    runs++;
    try {
      await backfillRecharge(runOf(progress, sliced, saved), { client, sliceMs: 0 });
      break;
    } catch (error) {
      expect(error).toBeInstanceOf(RetryLaterError);
      expect((error as RetryLaterError).countsAsAttempt).toBe(false);
      progress = saved[saved.length - 1];
    }
  }
  expect(runs).toBe(saved.length);
  expect(readBackfillProgress(progress).pages + 1).toBe(runs);
  expect(readBackfillProgress(saved[saved.length - 1]).stage).toBe("done");
  // The same reads and the same records as one unbroken run: no page twice.
  expect(server.requests).toHaveLength(unbroken);
  expect(new Set(server.requests.map((r) => `${r.path} ${JSON.stringify(r.query)}`)).size).toBe(unbroken);
  expect(sliced).toEqual(whole);
});

test("a finished import reads nothing when run again", async () => {
  server.reset();
  await backfillRecharge(runOf({ stage: "done", cursor: null, pages: 9 }, [], []), { client });
  expect(server.requests).toHaveLength(0);
});
