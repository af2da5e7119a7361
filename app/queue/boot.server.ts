import { runtime } from "./runtime.server";
import { tuneDatabase } from "../db.server";

/**
 * Starts the in-process worker with the server, unless LIFELINE_WORKER=off (tests
 * drive the worker themselves; a deployment may run `npm run worker` separately).
 * Jobs left unfinished by a previous process are picked up by the worker's lease check.
 */
export function startInProcessWorker(): void {
  if (process.env.LIFELINE_WORKER === "off" || process.env.VITEST) return;
  void tuneDatabase().then(
    () => {
      runtime().worker.start();
      runtime().playsWorker.start();
    },
    (error) => console.error("[lifeline] could not prepare the database; worker not started", error),
  );
}

/** Lets the job in hand finish before the process exits (SIGTERM from the server). */
export async function stopInProcessWorker(): Promise<void> {
  if (globalThis.lifelineRuntime) {
    await Promise.all([globalThis.lifelineRuntime.worker.stop(), globalThis.lifelineRuntime.playsWorker?.stop()]);
  }
}
