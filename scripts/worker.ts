// Runs the job worker as its own process (`npm run worker`), for a deployment that
// starts the web server with LIFELINE_WORKER=off. Several may run against one database:
// jobs are claimed atomically, and a dead worker's jobs return after their lease.
import { runtime } from "../app/queue/runtime.server";
import { tuneDatabase } from "../app/db.server";

await tuneDatabase();
const { worker } = runtime();
worker.start();
console.log(`Lifeline worker ${worker.id} started`);

async function shutdown() {
  await worker.stop();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
