/**
 * The shop's score settings (bands, weights, segments): what the settings page shows,
 * saving a change (validated, then a rescore of every subscriber so the new numbers
 * apply at once), and weights suggested from the store's own history (the score check).
 */
import prisma from "../../db.server";
import { forgetShopCache } from "../../cache.server";
import { defaultHealthConfig, type HealthConfig, type HealthConfigInput } from "../../health/config";
import { rescoreProgress, startRescore, type RescoreProgress } from "../../rescore/index.server";
import { applyScoreForm, scopesOf } from "../../health/settings-form";
import { shopScoring } from "../../health/settings.server";
import { readScoreCheck, type ScopeFit } from "../../health/score-check.server";

export interface ScoreSettings {
  /** The effective config (stored values over the defaults). */
  config: HealthConfig;
  defaults: HealthConfig;
  scopes: string[];
  rescore: RescoreLine | null;
}

/** The last rescore as the card tells it: its progress while it runs, when it finished and whom it scored after. */
export interface RescoreLine extends RescoreProgress {
  finishedAt: Date | null;
  /**
   * Current subscribers scored since the run began. Not the run's own total: that is who
   * was marked when it started, 0 for the first daily run of a store installed minutes
   * before its subscribers were imported.
   */
  scored: number;
  timeZone: string;
}

export async function scoreSettings(shop: string): Promise<ScoreSettings> {
  const [{ config, timeZone }, rescore] = await Promise.all([shopScoring(shop), rescoreProgress(shop)]);
  return { config, defaults: defaultHealthConfig, scopes: scopesOf(config), rescore: rescore && (await rescoreLine(shop, rescore, timeZone)) };
}

async function rescoreLine(shop: string, progress: RescoreProgress, timeZone: string): Promise<RescoreLine> {
  if (progress.status === "running") return { ...progress, finishedAt: null, scored: progress.done, timeZone };
  const run = await prisma.rescoreRun.findUnique({ where: { id: progress.id }, select: { createdAt: true, finishedAt: true } });
  const scored = run ? await prisma.healthScore.count({ where: { shop, live: true, computedAt: { gte: run.createdAt } } }) : progress.total;
  return { ...progress, finishedAt: run?.finishedAt ?? null, scored, timeZone };
}

export type SaveScoreResult =
  | { ok: true; runId: string; message: string }
  | { ok: false; status: 400; error: string; fieldErrors?: Record<string, string> };

/**
 * Saves the submitted bands, weights or segment cut-offs over what is stored. Nothing is
 * saved unless all of it is valid; a saved change starts a rescore of every subscriber.
 */
export async function saveScoreSettings(shop: string, fields: Record<string, string>, now = new Date()): Promise<SaveScoreResult> {
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { healthConfig: true } });
  const stored = row?.healthConfig ? (JSON.parse(row.healthConfig) as HealthConfigInput) : null;
  const result = applyScoreForm(stored, fields);
  if (!result.ok) {
    const first = Object.values(result.fieldErrors)[0];
    return { ok: false, status: 400, error: result.formError ?? `Nothing was saved. ${first ?? ""}`.trim(), fieldErrors: result.fieldErrors };
  }
  const healthConfig = JSON.stringify(result.input);
  await prisma.shopSettings.upsert({ where: { shop }, create: { shop, healthConfig }, update: { healthConfig } });
  await forgetShopCache(shop);
  const runId = await startRescore(shop, "settings changed", now);
  return { ok: true, runId, message: "Saved. Rescoring every subscriber with the new settings." };
}

export type { ScopeFit as ScopeSuggestion } from "../../health/score-check.server";

export type WeightSuggestions =
  | { status: "ready"; computedAt: string; sample: { subjects: number; of: number }; timeZone: string; suggestions: ScopeFit[] }
  | { status: "computing"; suggestions: ScopeFit[] };

/**
 * Weights that would have ranked this store's past cancels better, per scope of the
 * settings page, as the score check last computed them (health/score-check.server.ts):
 * read, never computed here. While it is being computed the page says so.
 */
export async function suggestedWeights(shop: string, now = new Date()): Promise<WeightSuggestions> {
  const scoring = await shopScoring(shop);
  const stored = await readScoreCheck(shop, now, scoring);
  if (stored.status !== "ready") return { status: "computing", suggestions: [] };
  const { computedAt, sample, weights } = stored.check;
  return { status: "ready", computedAt, sample, timeZone: scoring.timeZone, suggestions: weights };
}
