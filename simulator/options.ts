/** Option defaults and calendar arithmetic (UTC only, so results never depend on the host). */
import { PARAMS } from "./params";
import type { SimulatorInput, SimulatorOptions } from "./types";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Average month, for tenure bands (calendar months differ by up to 3 days). */
export const MONTH = 30.4375 * DAY;

export interface SimContext extends Required<SimulatorOptions> {
  startMs: number;
  endMs: number;
}

export function resolveOptions(input: SimulatorInput): SimContext {
  const profile = input.profile ?? PARAMS;
  const opts: Required<SimulatorOptions> = {
    seed: input.seed ?? 42,
    subscribers: input.subscribers ?? profile.storeSize,
    months: input.months ?? 12,
    end: input.end,
    shopDomain: input.shopDomain ?? "lifeline-demo.myshopify.com",
    currency: input.currency ?? "USD",
    duplicateRate: input.duplicateRate ?? 0.01,
    lateRate: input.lateRate ?? 0.02,
    profile,
  };
  if (!(opts.end instanceof Date) || Number.isNaN(opts.end.getTime())) {
    throw new Error("simulator: options.end must be a valid Date");
  }
  const endMs = opts.end.getTime();
  return { ...opts, startMs: addMonths(endMs, -opts.months), endMs };
}

/** Adds calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29), as billing schedules do. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** Shopify-style timestamp without milliseconds: 2024-03-01T14:05:09Z. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** The shop's fixed UTC offset, for payload dates Shopify renders in shop time. */
const SHOP_OFFSET_MINUTES = -5 * 60;

/** Renders in shop time with an explicit offset, e.g. 2022-11-01T00:00:00-05:00, like the cycle payloads. */
export function shopTime(ms: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + SHOP_OFFSET_MINUTES * MINUTE).toISOString().slice(0, 19);
  const sign = SHOP_OFFSET_MINUTES < 0 ? "-" : "+";
  const abs = Math.abs(SHOP_OFFSET_MINUTES);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
