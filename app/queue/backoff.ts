/** Retry schedule: 5 s, 10 s, 20 s, ... capped at one hour. Pure, so tests can read it. */
export const MAX_ATTEMPTS = 8;

/**
 * Queues whose jobs may wait longer before going dead. Plays and digests: with the one-hour cap,
 * 20 attempts ride out about ten hours of Klaviyo (or Shopify Flow) trouble before a person is asked to look.
 */
const MAX_ATTEMPTS_BY_QUEUE: Readonly<Record<string, number>> = { play: 20, flow: 20, digest: 20 };

export function maxAttemptsFor(queue: string): number {
  return MAX_ATTEMPTS_BY_QUEUE[queue] ?? MAX_ATTEMPTS;
}

export function retryDelayMs(attempts: number, baseMs = 5_000, capMs = 3_600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}
