import { logger } from "../log.server";
import { startWorkers, type Workers } from "../workers.server";
import { describeError } from "./errors";

declare global {
  // eslint-disable-next-line no-var
  var lifelineWorkers: Promise<Workers | null> | undefined;
}

/**
 * Starts every worker with the server, unless LIFELINE_WORKER=off (a deployment that
 * runs `npm run worker` separately; the tests drive workers themselves). Once per
 * process, across dev-server reloads. Jobs left unfinished by a previous process are
 * picked up by the workers' lease check. Resolves to the workers, or null when none run here.
 */
export function startInProcessWorker(): Promise<Workers | null> {
  if (process.env.LIFELINE_WORKER === "off") return Promise.resolve(null);
  globalThis.lifelineWorkers ??= startWorkers().catch((error) => {
    logger.error({ error: describeError(error) }, "could not prepare the database; workers not started");
    return null;
  });
  return globalThis.lifelineWorkers;
}

/** Lets the jobs in hand finish before the process exits (SIGTERM from the server). */
export async function stopInProcessWorker(): Promise<void> {
  const workers = await globalThis.lifelineWorkers;
  await workers?.stop();
}
