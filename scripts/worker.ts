// Runs the workers as their own process (`npm run worker`), for a deployment that
// starts the web server with LIFELINE_WORKER=off: every queue, the same workers the
// server would run in-process (app/workers.server.ts). Several may run against one
// database: jobs are claimed atomically, and a dead worker's jobs return after their lease.
import { logger } from "../app/log.server";
import { startWorkers } from "../app/workers.server";

const workers = await startWorkers();
logger.info({ workers: workers.all.map((w) => w.id) }, "worker process started");

async function shutdown() {
  await workers.stop();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
