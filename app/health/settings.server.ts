import prisma from "../db.server";
import { SEGMENT_KEYS, defaultHealthConfig, parseHealthConfig, resolveBands, type HealthConfig } from "./config";
import { thresholdsForCapacity } from "./fit/capacity";

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
  if (settings?.weeklyContacts) config = await sizedToCapacity(shop, config, settings.weeklyContacts);
  return {
    config,
    timeZone: row?.timezone ?? "UTC",
    maxPlaysPerWeek: settings?.maxPlaysPerWeek ?? DEFAULT_MAX_PLAYS_PER_WEEK,
    liveWindowDays: settings?.liveWindowDays ?? DEFAULT_LIVE_WINDOW_DAYS,
  };
}

/**
 * The bands moved so the at-risk list holds about as many live subscribers as the store can
 * contact in a week (fit/capacity.ts). Scores do not depend on bands, so today's scores say
 * who would be on the list. Kept as set when a group's own bands would fall out of order.
 */
async function sizedToCapacity(shop: string, config: HealthConfig, weeklyContacts: number): Promise<HealthConfig> {
  const rows = await prisma.healthScore.findMany({ where: { shop, live: true }, select: { score: true } });
  const bands = thresholdsForCapacity(
    rows.map((r) => r.score),
    weeklyContacts,
    config.bands,
  );
  const sized = { ...config, bands };
  const ordered = SEGMENT_KEYS.every((key) => {
    const b = resolveBands(sized, key);
    return b.healthy > b.watch && b.watch > b.atRisk;
  });
  return ordered ? sized : config;
}
