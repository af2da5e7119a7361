import prisma from "../db.server";
import { defaultHealthConfig, parseHealthConfig, type HealthConfig } from "./config";

export interface ShopScoring {
  config: HealthConfig;
  timeZone: string;
  /** The playbook's cap on plays one subscriber gets in a week (read with the config). */
  maxPlaysPerWeek: number;
  /** Plays go out for crossings at most this many days old. */
  liveWindowDays: number;
}

const DEFAULT_MAX_PLAYS_PER_WEEK = 3;
/** Plays, tasks and Flow triggers go out for crossings at most this many days old. */
export const DEFAULT_LIVE_WINDOW_DAYS = 3;

/** The shop's health configuration (defaults until the merchant changes it) and time zone. */
export async function shopScoring(shop: string): Promise<ShopScoring> {
  const [settings, row] = await Promise.all([
    prisma.shopSettings.findUnique({ where: { shop } }),
    prisma.shop.findUnique({ where: { shop }, select: { timezone: true } }),
  ]);
  let config = defaultHealthConfig;
  if (settings?.healthConfig) {
    const parsed = parseHealthConfig(JSON.parse(settings.healthConfig));
    // A stored config always passed validation on save; if the rules have since changed, fall back loudly.
    if (parsed.ok) config = parsed.config;
    else console.error(`[lifeline] stored health config for ${shop} no longer valid: ${parsed.errors.join("; ")}`);
  }
  return {
    config,
    timeZone: row?.timezone ?? "UTC",
    maxPlaysPerWeek: settings?.maxPlaysPerWeek ?? DEFAULT_MAX_PLAYS_PER_WEEK,
    liveWindowDays: settings?.liveWindowDays ?? DEFAULT_LIVE_WINDOW_DAYS,
  };
}
