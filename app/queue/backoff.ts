/** Retry schedule: 5 s, 10 s, 20 s, ... capped at one hour. Pure, so tests can read it. */
export const MAX_ATTEMPTS = 8;

export function retryDelayMs(attempts: number, baseMs = 5_000, capMs = 3_600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}
