/**
 * One subscriber's life: signup, card, contracts, the behaviour that precedes a
 * cancel (or doesn't), billing, and the ground truth of how it ended.
 */
import type { ContractStatus } from "../app/domain/timeline";
import { cycleMonths, drawVoluntaryCancel, latentRisk, signupFraction, type ChurnProfile, type VoluntaryCancel } from "./behaviour";
import { runBilling, ORDER_ID_BASE, type BillingAccount, type Due } from "./billing";
import { FIRST_NAMES, LAST_NAMES, TICKET_SUBJECTS, drawLine } from "./catalog";
import { applyEdits, planEdits } from "./edits";
import { DAY, HOUR, MINUTE, SECOND, addMonths, type SimContext } from "./options";
import { Rng, mixSeed } from "./random";
import { timelineFor } from "./timeline-map";
import type { BillingInterval, ChurnCause, SimFact, SimulatedContract, SimulatedSubscriber } from "./types";
import { Wallet } from "./wallet";

export const CUSTOMER_ID_BASE = 7_210_000_000;
export const CONTRACT_ID_BASE = 9_830_000_000;
const SUBSCRIBER_SALT = 0x5b1;

/** A contract's plan while its life is being drawn. */
interface Plan {
  contract: SimulatedContract;
  createdAt: number;
  cancel: VoluntaryCancel | null;
  pause: { start: number; end: number } | null;
  expireAt: number | null;
  /** No billing or contract activity at or after this. */
  stopAt: number;
}

/** Billing date of cycle k (k = 1 is the first renewal after the origin order). */
export function cycleDate(c: { createdAt: Date; interval: BillingInterval; intervalCount: number }, k: number): number {
  const t0 = c.createdAt.getTime();
  return c.interval === "week" ? t0 + k * c.intervalCount * 7 * DAY : addMonths(t0, k * c.intervalCount);
}

function drawContract(rng: Rng, ctx: SimContext, seq: number, createdAt: number): SimulatedContract {
  const p = ctx.profile;
  const plan = rng.weighted(p.plans);
  const foreign = rng.chance(p.foreignCurrencyShare);
  const others = p.foreignCurrencies.filter((c) => c !== ctx.currency);
  const currency = foreign ? rng.pick(others) : ctx.currency;
  const lineCount = rng.weighted(p.lineCounts);
  const lines = Array.from({ length: lineCount }, () => drawLine(rng, currency, ctx.currency));
  const fixedTerm = rng.chance(p.fixedTermShare);
  return {
    id: CONTRACT_ID_BASE + seq,
    createdAt: new Date(createdAt),
    originOrderId: ORDER_ID_BASE + seq * 1000,
    currency,
    interval: plan.interval,
    intervalCount: plan.intervalCount,
    maxCycles: fixedTerm ? rng.int(...p.fixedTermCycles) : null,
    minCycles: rng.chance(p.minCyclesShare) ? rng.int(1, 3) : null,
    lines,
    status: "active",
    endedAt: null,
  };
}

export function simulateSubscriber(index: number, ctx: SimContext): SimulatedSubscriber {
  const rng = new Rng(mixSeed(ctx.seed, index, SUBSCRIBER_SALT));
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const customerId = CUSTOMER_ID_BASE + index;
  const p = ctx.profile;
  let risk = latentRisk(rng, p);
  let skipRate = rng.chance(p.habitualSkipperShare) ? p.habitualSkipRate : p.casualSkipRate;
  // Drawn only when the profile has them, so the default store's streams are untouched.
  if (p.vacationSkipperShare > 0 && rng.chance(p.vacationSkipperShare)) {
    skipRate = p.vacationSkipRate;
    risk *= p.vacationRiskMultiplier;
  }
  // Kept a little inside the window so the card saved at checkout (seconds earlier) is inside it too.
  const signup = ctx.startMs + 5 * MINUTE + Math.floor(signupFraction(rng, p) * (ctx.endMs - ctx.startMs - 2 * HOUR));

  const facts: SimFact[] = [];
  const wallet = new Wallet(rng, facts, `${firstName} ${lastName}`, ctx.endMs);
  const card = wallet.newCard(signup, ...p.cardExpiryMonths);
  wallet.add(signup - rng.uniform(20, 90) * SECOND, card, "create");
  const lapse = Date.UTC(card.year, card.month, 1);
  if (lapse < ctx.endMs && rng.chance(p.timelyCardUpdateShare)) {
    wallet.renew(Math.max(signup + DAY, lapse - rng.uniform(1, 25) * DAY), card);
  }

  // Primary contract, its cycle-1 ticket, and whether/when it is cancelled.
  const primary = drawContract(rng, ctx, index * 2, signup);
  let ticketAt: number | null = null;
  if (rng.chance(p.ticketShare)) {
    const cycleDays = (cycleDate(primary, 1) - signup) / DAY;
    const at = signup + rng.uniform(3, Math.max(4, Math.min(21, cycleDays))) * DAY;
    if (at < ctx.endMs) {
      ticketAt = at;
      facts.push({ kind: "ticket", at, contract: 0, subject: rng.pick(TICKET_SUBJECTS) });
    }
  }
  const plans: Plan[] = [newPlan(primary, drawVoluntaryCancel(rng, p, signup, ctx.endMs, risk, ticketAt))];

  if (rng.chance(p.secondContractShare)) {
    const at = signup + rng.uniform(...p.secondContractDelayDays) * DAY;
    if (at < ctx.endMs - HOUR) {
      const first = plans[0].cancel;
      const cancel =
        first && first.at > at && rng.chance(p.secondFollowsCancelShare)
          ? { ...first, at: first.at + rng.uniform(1, 2 * 24 * 60) * MINUTE }
          : drawVoluntaryCancel(rng, p, at, ctx.endMs, risk, null);
      plans.push(newPlan(drawContract(rng, ctx, index * 2 + 1, at), cancel && cancel.at < ctx.endMs ? cancel : null));
    }
  }

  const dues: Due[] = [];
  const accounts: BillingAccount[] = [];
  plans.forEach((plan, c) => {
    planLifecycle(rng, p, plan, c, ctx.endMs, skipRate, risk, facts, dues);
    accounts.push({ contract: c, seq: index * 2 + c, cycleMonths: cycleMonths(plan.contract.interval, plan.contract.intervalCount), stopAt: plan.stopAt, failAt: null, counter: 0 });
  });
  runBilling(rng, p, dues, accounts, wallet, facts, ctx.endMs);

  // How each contract ended; drop anything planned after that.
  const ends = plans.map((p, c) => settle(p, accounts[c].failAt, c, ctx.endMs, facts));
  const kept = facts.filter((f) => f.kind === "payment_method" || isBeforeEnd(f, ends[f.contract]));
  kept.sort((a, b) => a.at - b.at);
  assignRevisions(kept);
  plans.forEach((p, c) => {
    p.contract.status = ends[c].status;
    p.contract.endedAt = ends[c].at == null ? null : new Date(ends[c].at);
  });

  const contracts = plans.map((p) => p.contract);
  const tickets: SimulatedSubscriber["tickets"] = [];
  for (const f of kept) {
    if (f.kind === "ticket") tickets.push({ openedAt: new Date(f.at), subject: f.subject, contractId: String(contracts[f.contract].id) });
  }
  return {
    index,
    customerId,
    email: `${firstName}.${lastName}.${index}@example.com`.toLowerCase(),
    firstName,
    lastName,
    contracts,
    timeline: timelineFor(kept, contracts),
    tickets,
    truth: truthOf(ends, contracts),
    facts: kept,
  };
}

function newPlan(contract: SimulatedContract, cancel: Plan["cancel"]): Plan {
  return { contract, createdAt: contract.createdAt.getTime(), cancel, pause: null, expireAt: null, stopAt: Infinity };
}

/** Lays out create, pause/resume, skips, edits and billable dates for one contract. */
function planLifecycle(rng: Rng, prof: ChurnProfile, p: Plan, c: number, endMs: number, skipRate: number, risk: number, facts: SimFact[], dues: Due[]): void {
  const { contract } = p;
  facts.push({ kind: "contract", at: p.createdAt, contract: c, topic: "create", revision: 0 });
  if (contract.maxCycles != null) p.expireAt = cycleDate(contract, contract.maxCycles) + rng.uniform(1, 3) * HOUR;
  p.stopAt = Math.min(endMs, p.cancel?.at ?? Infinity, p.expireAt ?? Infinity);

  // Some cancellers pause first and cancel while paused; some loyal subscribers pause and come back.
  // A silent cancel has no pause, skips or downgrade before it.
  const warned = p.cancel != null && !p.cancel.silent;
  if (p.cancel && !p.cancel.silent && p.cancel.cause !== "payment_failure" && rng.chance(prof.pauseBeforeCancelShare)) {
    const start = p.cancel.at - rng.uniform(14, 56) * DAY;
    if (start > p.createdAt + 7 * DAY) p.pause = { start, end: Infinity };
  } else if (!p.cancel?.silent && rng.chance(prof.loyalPauseShare)) {
    const start = p.createdAt + rng.uniform(20, 300) * DAY;
    const open = prof.openPauseShare > 0 && rng.chance(prof.openPauseShare);
    p.pause = { start, end: open ? Infinity : start + rng.uniform(...prof.pauseDays) * DAY };
  }
  if (p.pause && p.pause.start < p.stopAt) {
    facts.push({ kind: "contract", at: p.pause.start, contract: c, topic: "pause", revision: 0 });
    if (p.pause.end < p.stopAt) facts.push({ kind: "contract", at: p.pause.end, contract: c, topic: "activate", revision: 0 });
  }
  const paused = (t: number) => p.pause != null && t >= p.pause.start && t < p.pause.end;

  // Cycles to skip: the last few before a cancel (by cause), plus everyday skipping.
  const skips = new Set<number>();
  let lastCycle = 0;
  while (cycleDate(contract, lastCycle + 1) < p.stopAt) lastCycle++;
  for (let k = 1; k <= lastCycle; k++) if (rng.chance(skipRate)) skips.add(k);
  if (p.cancel && warned) {
    const rule = prof.preCancelSkips[p.cancel.cause];
    if (rng.chance(rule.share)) {
      const n = rng.int(rule.min, rule.max);
      for (let k = Math.max(1, lastCycle - n + 1); k <= lastCycle; k++) skips.add(k);
    }
  }

  for (let k = 1; k <= lastCycle; k++) {
    const at = cycleDate(contract, k);
    if (paused(at)) continue;
    if (skips.has(k)) {
      const prev = cycleDate(contract, k - 1);
      const skipAt = Math.max(prev + HOUR, at - rng.uniform(1, 5) * DAY);
      if (!paused(skipAt)) {
        facts.push({ kind: "cycle", at: skipAt, contract: c, topic: "skip", cycleIndex: k, cycleStart: prev, cycleEnd: at });
        if (!rng.chance(prof.unskipShare)) continue;
        const unskipAt = skipAt + rng.uniform(0.1, 0.9) * (at - skipAt);
        facts.push({ kind: "cycle", at: unskipAt, contract: c, topic: "unskip", cycleIndex: k, cycleStart: prev, cycleEnd: at });
      }
    }
    dues.push({ contract: c, at });
  }

  const cycleMs = cycleDate(contract, 1) - p.createdAt;
  const edits = planEdits(rng, prof, p.createdAt, p.stopAt, cycleMs, warned ? p.cancel!.cause : null, risk);
  applyEdits(rng, contract, edits, c, paused, facts);
}

interface End {
  at: number | null;
  status: ContractStatus;
  cause: ChurnCause | null;
}

/** Final state of a contract: the first of failure, voluntary cancel and expiry; else active or paused. */
function settle(p: Plan, failAt: number | null, c: number, endMs: number, facts: SimFact[]): End {
  // Billing stops before a cancel or expiry, so a failure always comes first when there is one.
  if (failAt != null) return { at: failAt, status: "failed", cause: "payment_failure" };
  const cancelAt = p.cancel?.at ?? Infinity;
  const expireAt = p.expireAt ?? Infinity;
  if (Math.min(cancelAt, expireAt) >= endMs) {
    const paused = p.pause != null && p.pause.start < endMs && p.pause.end >= endMs;
    return { at: null, status: paused ? "paused" : "active", cause: null };
  }
  if (cancelAt <= expireAt) {
    facts.push({ kind: "contract", at: cancelAt, contract: c, topic: "cancel", revision: 0 });
    return { at: cancelAt, status: "cancelled", cause: p.cancel!.cause };
  }
  facts.push({ kind: "contract", at: expireAt, contract: c, topic: "expire", revision: 0 });
  return { at: expireAt, status: "expired", cause: null };
}

function isBeforeEnd(f: SimFact, end: End): boolean {
  if (end.at == null) return true;
  if (f.kind === "contract" && (f.topic === "cancel" || f.topic === "fail" || f.topic === "expire")) return f.at === end.at;
  return f.at < end.at;
}

/** revision_id grows with every contract webhook of a contract. */
function assignRevisions(facts: SimFact[]): void {
  const counters: number[] = [];
  for (const f of facts) {
    if (f.kind === "contract" || f.kind === "edit") f.revision = counters[f.contract] = (counters[f.contract] ?? 0) + 1;
  }
}

/** The subscriber churned once no contract is live and at least one was cancelled or failed. */
function truthOf(ends: End[], contracts: SimulatedContract[]): SimulatedSubscriber["truth"] {
  if (ends.some((e) => e.at == null)) return { cancelledAt: null, cause: null, contractId: null };
  let last = -1;
  ends.forEach((e, i) => {
    if (e.cause != null && (last < 0 || e.at! > ends[last].at!)) last = i;
  });
  if (last < 0) return { cancelledAt: null, cause: null, contractId: null };
  return { cancelledAt: new Date(ends[last].at!), cause: ends[last].cause, contractId: String(contracts[last].id) };
}
