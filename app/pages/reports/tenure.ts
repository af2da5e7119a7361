/**
 * Churn by tenure: in which month of their subscription do people cancel? Two stages
 * matter to a merchant because they call for different fixes:
 * - months 1-3, onboarding: they never reached the outcome they subscribed for;
 * - month 6 on, experience: the product or service wore thin.
 *
 * Raw counts alone mislead: a young store has few subscribers past month 6, so few
 * cancels can happen there. Each month therefore also gets a cancel rate per
 * subscriber-month actually lived in it (partial months count by the fraction lived).
 */
import { MONTH_MS } from "./months";
import { wholePercents } from "./whole-percents";

/** Months 1..11 each, then "12+" together. */
export const TENURE_BUCKETS = 12;
export const ONBOARDING_MONTHS = 3;
/** The experience stage starts with this month of tenure. */
export const EXPERIENCE_FROM = 6;
/** Below this many cancellations the reading says there is not enough to go on. */
export const MIN_CANCELS_TO_READ = 10;

export interface TenureSubject {
  firstSubscribedAt: Date;
  /** When they left for good; null while still subscribed (paused counts as subscribed). */
  cancelledAt: Date | null;
}

export interface TenureBucket {
  /** 1-based month of tenure; the last bucket holds 12 and later. */
  month: number;
  label: string;
  /** Subscribers who got as far as this month. */
  reached: number;
  cancelled: number;
  /** Subscriber-months lived in this month of tenure. */
  exposureMonths: number;
  /** Cancels per subscriber-month in it; null with no exposure. */
  monthlyCancelRate: number | null;
  /** This month's share of all cancellations; null with none. */
  shareOfCancels: number | null;
  /** The same as a whole percentage; the months' add up to exactly 100. */
  sharePercent: number | null;
}

export interface Stage {
  cancelled: number;
  /** Share of all cancellations; null with none. */
  share: number | null;
  /** The same as a whole percentage; the three stages' add up to exactly 100. */
  percent: number | null;
  exposureMonths: number;
  monthlyCancelRate: number | null;
}

export interface ChurnByTenure {
  buckets: TenureBucket[];
  cancels: number;
  onboarding: Stage;
  /** Months 4-5, between the two stages. */
  between: Stage;
  experience: Stage;
  reading: string;
}

const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);

export function churnByTenure(subjects: readonly TenureSubject[], now: Date): ChurnByTenure {
  const buckets: TenureBucket[] = Array.from({ length: TENURE_BUCKETS }, (_, i) => ({
    month: i + 1,
    label: i + 1 === TENURE_BUCKETS ? `${TENURE_BUCKETS}+` : String(i + 1),
    reached: 0,
    cancelled: 0,
    exposureMonths: 0,
    monthlyCancelRate: null,
    shareOfCancels: null,
    sharePercent: null,
  }));
  let cancels = 0;
  for (const s of subjects) {
    const start = s.firstSubscribedAt.getTime();
    const end = Math.min(s.cancelledAt?.getTime() ?? now.getTime(), now.getTime());
    if (end < start) continue;
    const lived = (end - start) / MONTH_MS;
    for (let i = 0; i < TENURE_BUCKETS && lived >= i; i++) {
      const last = i === TENURE_BUCKETS - 1;
      buckets[i].reached++;
      buckets[i].exposureMonths += last ? lived - i : Math.min(1, lived - i);
    }
    if (s.cancelledAt && s.cancelledAt.getTime() <= now.getTime()) {
      buckets[Math.min(Math.floor(lived), TENURE_BUCKETS - 1)].cancelled++;
      cancels++;
    }
  }
  const monthPercents = wholePercents(buckets.map((b) => b.cancelled));
  for (const [i, b] of buckets.entries()) {
    b.monthlyCancelRate = rate(b.cancelled, b.exposureMonths);
    b.shareOfCancels = rate(b.cancelled, cancels);
    b.sharePercent = monthPercents?.[i] ?? null;
  }
  const stage = (from: number, to: number): Omit<Stage, "percent"> => {
    const inStage = buckets.filter((b) => b.month >= from && b.month <= to);
    const cancelled = inStage.reduce((n, b) => n + b.cancelled, 0);
    const exposureMonths = inStage.reduce((n, b) => n + b.exposureMonths, 0);
    return { cancelled, share: rate(cancelled, cancels), exposureMonths, monthlyCancelRate: rate(cancelled, exposureMonths) };
  };
  const stages = [stage(1, ONBOARDING_MONTHS), stage(ONBOARDING_MONTHS + 1, EXPERIENCE_FROM - 1), stage(EXPERIENCE_FROM, Infinity)];
  const stagePercents = wholePercents(stages.map((s) => s.cancelled));
  const [onboarding, between, experience] = stages.map((s, i): Stage => ({ ...s, percent: stagePercents?.[i] ?? null }));
  const result = { buckets, cancels, onboarding, between, experience };
  return { ...result, reading: readTenure(result) };
}

/** The stage's whole percentage, the same figure its card shows. */
const pct = (s: Stage) => `${s.percent ?? Math.round((s.share ?? 0) * 100)}%`;

/** One sentence on what the store's own figures say. */
export function readTenure(t: Pick<ChurnByTenure, "cancels" | "onboarding" | "between" | "experience">): string {
  if (t.cancels < MIN_CANCELS_TO_READ) {
    return `Only ${t.cancels} cancellation${t.cancels === 1 ? "" : "s"} so far: too few to tell when in their subscription people leave.`;
  }
  const early = t.onboarding.share ?? 0;
  const late = t.experience.share ?? 0;
  const earlyPct = pct(t.onboarding);
  const latePct = pct(t.experience);
  const lateRate = t.experience.monthlyCancelRate;
  const quietRate = t.between.monthlyCancelRate;
  // A second wave shows in the rate even when few subscribers have lived past month 6 yet.
  const secondWave = lateRate != null && quietRate != null && lateRate > quietRate * 1.2 && t.experience.cancelled >= 3;
  const youngStore = t.experience.exposureMonths < t.onboarding.exposureMonths * 0.15;
  if (early >= 0.5 && secondWave) {
    return `${earlyPct} of cancellations come in months 1-3, so onboarding is the bigger leak, and the cancel rate rises again after month 6 (${latePct} of cancellations): the experience wears thin for long-time subscribers too.`;
  }
  if (early >= 0.5) {
    return `${earlyPct} of cancellations come in months 1-3: most who leave never reached the outcome they subscribed for, so the first boxes matter most.${youngStore ? " Few subscribers have been with you past month 6 yet." : ""}`;
  }
  if (late >= 0.5) {
    return `${latePct} of cancellations come after month 6: the product or service wears thin for long-time subscribers, so variety and check-ins matter most.`;
  }
  if (early >= late) {
    return `Cancellations are spread out: ${earlyPct} in months 1-3 (onboarding) and ${latePct} after month 6 (experience); onboarding is the larger share.`;
  }
  return `Cancellations are spread out: ${earlyPct} in months 1-3 (onboarding) and ${latePct} after month 6 (experience); experience is the larger share.`;
}
