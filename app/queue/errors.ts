/**
 * A failure that retrying cannot fix (malformed payload, a 401/403/404 from an
 * outside service). The job goes straight to the dead-letter state with this message.
 */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentError";
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 2000);
  return String(error).slice(0, 2000);
}

/**
 * Lock contention between writers (the inbox writer and the worker, or two worker
 * processes): not a failure of the job, just a moment to wait before trying again.
 */
export function isContention(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ""} ${error instanceof Error ? error.message : String(error)}`;
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked|P2034|write conflict/i.test(text);
}

/**
 * "Try again at exactly this time": a 429 with Retry-After, or work waiting on the
 * merchant (a play before Klaviyo is connected). `countsAsAttempt: false` keeps such
 * waits from using up the job's attempts, since the job itself is not failing.
 */
export class RetryLaterError extends Error {
  readonly countsAsAttempt: boolean;
  constructor(
    readonly retryAfterMs: number,
    message: string,
    options?: { countsAsAttempt?: boolean; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RetryLaterError";
    this.countsAsAttempt = options?.countsAsAttempt ?? true;
  }
}
