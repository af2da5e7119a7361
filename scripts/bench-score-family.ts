// Score benchmark across a family of stores that churn differently: each held-out store
// profile (simulator/profiles.ts; never used to choose weights) is seeded into a fresh shop,
// scored by the app's own rescore, and backtested without look-ahead as the score check does.
// Prints figures per store, then the mean and the worst; asserts nothing.
//
//   npx tsx scripts/bench-score-family.ts [--profiles 10] [--subscribers 5000] [--months 12]

import path from "node:path";
import { drawProfile, HELD_OUT_PROFILE_SEEDS } from "../simulator";
import { migrate } from "./lib/migrate";
import { benchDir, useBenchApp } from "./lib/temp-dir";
import { seedStore } from "./lib/seed-store";

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith("--") && args.set(a.slice(2), all[i + 1]));
const profileCount = Math.min(HELD_OUT_PROFILE_SEEDS.length, Number(args.get("profiles") ?? HELD_OUT_PROFILE_SEEDS.length));
const size = Number(args.get("subscribers") ?? 5000);
const months = Number(args.get("months") ?? 12);
const HORIZON = 30;
const end = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");

const dir = benchDir("lifeline-family-");
const file = path.join(dir, "family.db");
useBenchApp(`file:${file}`);

/** One way of ranking a store's subscribers, judged on the same checkpoints. */
interface Figures {
  auc: number;
  /** Share of the store's cancels within 30 days found in the riskiest 10%. */
  top10Catch: number;
  /** Share of live subscribers flagged (at risk or critical; for the rule, the rule firing). */
  flagged: number;
  /** Of cancels within 30 days, the share flagged. */
  flaggedCatch: number;
  /** Share of live subscribers who cancel within 30 days. */
  cancelling: number;
}

type Backtest = import("../app/health/validation").BacktestResult;

function figuresOf(b: Backtest): Figures | null {
  if (b.status !== "ok") return null;
  const obs = b.observations;
  const isFlagged = (band: string) => band === "at_risk" || band === "critical";
  const churned = obs.filter((o) => o.churned);
  return {
    auc: b.auc,
    top10Catch: b.atK.recall,
    flagged: obs.filter((o) => isFlagged(o.band)).length / obs.length,
    flaggedCatch: churned.filter((o) => isFlagged(o.band)).length / Math.max(1, churned.length),
    cancelling: churned.length / obs.length,
  };
}

/**
 * Figures for weights fitted to the store itself, once app/health/fit/ exports
 * fitStoreWeights(shop, now) returning a config; null until then, and the column stays empty.
 */
const FIT_MODULE = "../app/health/fit/index";
async function calibratedFigures(shop: string, now: Date): Promise<Figures | null> {
  let fit: { fitStoreWeights?: unknown };
  try {
    fit = (await import(FIT_MODULE)) as typeof fit;
  } catch {
    return null;
  }
  if (typeof fit.fitStoreWeights !== "function") return null;
  const { validateShopScore } = await import("../app/health/validate-shop.server");
  const { shopScoring } = await import("../app/health/settings.server");
  const { timeZone } = await shopScoring(shop);
  const config = await (fit.fitStoreWeights as (shop: string, now: Date) => Promise<import("../app/health/config").HealthConfig>)(shop, now);
  return figuresOf((await validateShopScore(shop, now, { horizonDays: HORIZON, scoring: { config, timeZone } })).backtest);
}

async function main() {
  migrate(`file:${file}`);
  const { default: prisma, tuneDatabase } = await import("../app/db.server");
  const { startRescore, scoreDirtySubscribers } = await import("../app/rescore/index.server");
  const { validateShopScore, loadSubjectSample, checkpoints } = await import("../app/health/validate-shop.server");
  const { shopScoring } = await import("../app/health/settings.server");
  const { scoreWith } = await import("../app/health/score");
  const { backtest } = await import("../app/health/validation");
  const { ruleOfThumb } = await import("./lib/rule-of-thumb");
  await tuneDatabase();

  const rows: { seed: number; score: Figures | null; rule: Figures | null; calibrated: Figures | null; cancels: number }[] = [];
  for (const seed of HELD_OUT_PROFILE_SEEDS.slice(0, profileCount)) {
    const shop = `family-${seed}.myshopify.com`;
    const t0 = Date.now();
    seedStore({ file, shop, subscribers: size, months, seed, end, profile: drawProfile(seed) });
    await startRescore(shop, "benchmark", end);
    while ((await scoreDirtySubscribers(end, 2000)) > 0);
    const v = await validateShopScore(shop, end, { horizonDays: HORIZON });
    const { config, timeZone } = await shopScoring(shop);
    const { subjects } = await loadSubjectSample(shop, timeZone, end);
    const rule = backtest(subjects, ruleOfThumb(scoreWith(config)), checkpoints(end, 26, HORIZON), HORIZON);
    const row = { seed, score: figuresOf(v.backtest), rule: figuresOf(rule), calibrated: await calibratedFigures(shop, end), cancels: v.backtest.cancels };
    rows.push(row);
    console.log(`store ${seed}: ${line(row.score)} | rule ${line(row.rule)}${row.calibrated ? ` | calibrated ${line(row.calibrated)}` : ""} (${row.cancels} cancels, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }

  const summary = (pick: (r: (typeof rows)[number]) => Figures | null) => {
    const all = rows.map(pick).filter((f): f is Figures => f != null);
    if (all.length === 0) return "n/a";
    const mean = (k: keyof Figures) => all.reduce((s, f) => s + f[k], 0) / all.length;
    const worst = all.reduce((w, f) => (f.auc < w.auc ? f : w));
    return `mean AUC ${mean("auc").toFixed(3)}, top 10% catch ${pct(mean("top10Catch"))}, flagged ${pct(mean("flagged"))} catching ${pct(mean("flaggedCatch"))}, cancelling ${pct(mean("cancelling"))}; worst: ${line(worst)}`;
  };
  console.log(`\n${rows.length} held-out stores x ${size.toLocaleString()} subscribers, ${months} months, next ${HORIZON} days`);
  console.log(`Default score: ${summary((r) => r.score)}`);
  console.log(`Rule of thumb (skip in last 2 cycles, failed payment or ticket in 30 days): ${summary((r) => r.rule)}`);
  console.log(`Self-calibrated: ${summary((r) => r.calibrated)}`);
  await prisma.$disconnect();
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
function line(f: Figures | null): string {
  if (!f) return "not enough cancels";
  return `AUC ${f.auc.toFixed(3)}, top 10% catch ${pct(f.top10Catch)}, flagged ${pct(f.flagged)} (catching ${pct(f.flaggedCatch)}) vs ${pct(f.cancelling)} cancelling`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
