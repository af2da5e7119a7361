/** `npm run demo -- ...`: the command line as the demo's options. */
import { parseArgs } from "node:util";
import type { DemoOptions } from "../demo";
import { SOURCE_NAMES, type DemoSource } from "./summary-source";

export function parseDemoArgs(argv: string[]): DemoOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      subscribers: { type: "string" },
      months: { type: "string" },
      seed: { type: "string" },
      concurrency: { type: "string" },
      source: { type: "string" },
      port: { type: "string" },
      "keep-running": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "npm run demo -- [--subscribers 2000] [--months 12] [--seed 42] [--concurrency 16] [--source shopify|recharge|flow] [--port N] [--keep-running]\n" +
        "  --source recharge: the store runs Recharge; Lifeline connects to it in Settings a third of the way through the history,\n" +
        "                     imports what came before through Recharge's API and takes its webhooks after.\n" +
        "  --source flow:     the store's events reach Lifeline through its Shopify Flow action.",
    );
    process.exit(0);
  }
  const int = (name: string, value: string | undefined, min: number) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be a whole number of at least ${min} (got "${value}")`);
    return parsed;
  };
  if (values.source !== undefined && !Object.hasOwn(SOURCE_NAMES, values.source)) {
    throw new Error(`--source must be one of ${Object.keys(SOURCE_NAMES).join(", ")} (got "${values.source}")`);
  }
  return {
    source: values.source as DemoSource | undefined,
    subscribers: int("subscribers", values.subscribers, 1),
    months: int("months", values.months, 1),
    seed: int("seed", values.seed, 0),
    concurrency: int("concurrency", values.concurrency, 1),
    port: int("port", values.port, 1),
    keepRunning: values["keep-running"] ?? false,
  };
}
