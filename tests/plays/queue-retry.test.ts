import { beforeEach, expect, it } from "vitest";
import prisma from "~/db.server";
import { createPrismaJobQueue, enqueue } from "~/queue/jobs.server";
import { PermanentError, RetryLaterError } from "~/queue/errors";
import { maxAttemptsFor } from "~/queue/backoff";

const queue = createPrismaJobQueue(prisma);
const NOW = new Date("2026-03-02T12:00:00Z");
let shop = "";
let n = 0;
beforeEach(() => {
  shop = `retry-${++n}.myshopify.com`;
});

async function claimOne(name: "play" | "webhook", now = NOW) {
  await enqueue(prisma, { queue: name, key: `${shop}-${name}`, shop, runAt: now });
  const [job] = await queue.claim("test-worker", 1, now, [name]);
  return job;
}

it("a RetryLaterError runs the job again at exactly now + its delay", async () => {
  const job = await claimOne("play");
  const outcome = await queue.fail(job, new RetryLaterError(1_000, "Klaviyo rate limit"), NOW);
  expect(outcome).toEqual({ state: "retry", runAt: new Date(NOW.getTime() + 1_000), counted: true });
  expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "pending", attempts: 1 });
});

it("a wait that is not the job's fault does not use up an attempt", async () => {
  const job = await claimOne("play");
  await queue.fail(job, new RetryLaterError(1_000, "throttled", { countsAsAttempt: false }), NOW);
  expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).attempts).toBe(0);
});

it("plays get more attempts than webhooks before going dead", async () => {
  expect(maxAttemptsFor("play")).toBe(20);
  expect(maxAttemptsFor("webhook")).toBe(8);
  const job = await claimOne("play");
  expect(await queue.fail({ ...job, attempts: 8 }, new Error("500"), NOW)).toMatchObject({ state: "retry" });
  expect(await queue.fail({ ...job, attempts: 20 }, new Error("500"), NOW)).toEqual({ state: "dead" });
  const webhook = await claimOne("webhook");
  expect(await queue.fail({ ...webhook, attempts: 8 }, new Error("500"), NOW)).toEqual({ state: "dead" });
});

it("a permanent error is dead at once, even on the play queue", async () => {
  const job = await claimOne("play");
  expect(await queue.fail(job, new PermanentError("Klaviyo refused the request (400)"), NOW)).toEqual({ state: "dead" });
});
