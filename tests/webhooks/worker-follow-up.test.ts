// While the worker works off a backlog, the follow-up work (scoring) waits for the
// backlog or the interval, so a subscriber with many queued deliveries is scored once.
import { expect, test } from "vitest";
import prisma from "~/db.server";
import { enqueue } from "~/queue/jobs.server";
import { createWorker } from "~/queue/worker.server";

test("during a backlog the follow-up runs at most once per interval, and always once caught up", async () => {
  const shop = "backlog.myshopify.com";
  const clock = new Date("2026-03-02T12:00:00Z");
  for (let i = 0; i < 250; i++) await enqueue(prisma, { queue: "backfill", key: `${shop}:${i}`, shop, runAt: clock });
  const ran: number[] = [];
  const followUps: number[] = [];
  const worker = createWorker({
    handlers: { backfill: async (job) => void ran.push(job.id) },
    batchSize: 100,
    followUpEveryMs: 60_000,
    now: () => clock,
    afterBatch: async () => {
      followUps.push(ran.length);
      return 0;
    },
  });
  await worker.drain();
  expect(ran).toHaveLength(250);
  // After the first full batch (none had run before), not after the second (within the
  // interval), then after the last partial batch and the empty look that ends the drain.
  expect(followUps).toEqual([100, 250, 250]);
});
