// The intake writes each delivery in one transaction on its own SQLite connection. When
// another connection holds the write lock, the delivery waits its turn without holding
// up the process, and lands once.
import Database from "better-sqlite3";
import { beforeEach, expect, test } from "vitest";
import { post, prisma, workers } from "../support/app";
import { installShop } from "../support/shop";
import { fixture } from "../support/webhooks";
import { createPrismaJobQueue } from "~/queue/jobs.server";
import { processDeliveryJob } from "~/intake/process.server";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `lock-${++n}.myshopify.com`;
  await installShop(shop);
});

const create = { ...fixture("subscription_contracts-create.json"), id: 601, customer_id: 61 };
const skip = { ...fixture("subscription_billing_cycles-skip.json"), subscription_contract_id: 601, cycle_index: 4 };
const skips = () => prisma.subscriberEvent.count({ where: { shop, type: "cycle.skipped" } });

test("a delivery that meets another connection's write lock waits without blocking, then lands once", async () => {
  await post({ topic: "subscription_contracts/create", shop, body: create });
  await workers.inbox.drain();
  await post({ topic: "subscription_billing_cycles/skip", shop, body: skip });
  const [job] = await createPrismaJobQueue().claim("test-worker", 10, new Date(), ["webhook"]);

  // Another connection (another process's worker, say) holds the write lock.
  const other = new Database(process.env.DATABASE_URL!.slice("file:".length));
  other.exec("BEGIN IMMEDIATE");
  let state = "waiting";
  const processing = processDeliveryJob(job).then(
    () => (state = "landed"),
    () => (state = "failed"),
  );
  // Timers still run (the event loop is free) while the delivery waits.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(state).toBe("waiting");
  expect(await skips()).toBe(0);

  other.exec("COMMIT");
  other.close();
  await processing;
  expect(state).toBe("landed");
  expect(await skips()).toBe(1);

  // Run again (as after a crash before the job was marked done): nothing doubles.
  await processDeliveryJob(job);
  expect(await skips()).toBe(1);
});
