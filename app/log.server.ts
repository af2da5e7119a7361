import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * The process's logger: one JSON line per event on stdout, so a log platform can
 * filter by shop, queue or job. Level from LOG_LEVEL (default "info"; the tests run
 * "silent"). Components take a child: `logger.child({ queue: "play" })`.
 */
export const logger: Logger = createLogger();

/** A logger of its own (a test that reads what was logged passes its own destination). */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? "info";
  return options.destination ? pino({ level, base: { app: "lifeline" } }, options.destination) : pino({ level, base: { app: "lifeline" } });
}
