/** How the demo waits on the app: polling its database (read-only), never sleeping a fixed time. */
import type { AppServer } from "./app-server";
import type { QueueWatch } from "./database";

/** Polls `done` until it holds. On timeout, throws when `what` names the wait, else returns. */
export async function until(done: () => boolean, timeoutMs: number, what: string | null, app?: AppServer): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) {
      if (what === null) return;
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${app ? `\n${app.output()}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Waits for the app to finish what the webhooks started: every webhook job (retries
 * included), the scoring that follows them, other due jobs, and the plays outbox. Plays
 * that stop moving are waiting for a later time and are reported as pending.
 */
export async function settle(queue: QueueWatch): Promise<void> {
  await until(() => queue.webhooksUnfinished() === 0, 90_000, null);
  await until(() => queue.scoringPending() === 0 && queue.dueOrRunning() === 0, 60_000, null);
  let last = -1;
  let movedAt = Date.now();
  await until(
    () => {
      const pending = queue.playsPending();
      if (pending !== last) [last, movedAt] = [pending, Date.now()];
      return pending === 0 || Date.now() - movedAt > 5000;
    },
    60_000,
    null,
  );
}
