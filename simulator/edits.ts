/**
 * Contract edits: downgrades (a warning sign, often before a price-driven cancel),
 * upgrades (happy subscribers), and edits that change nothing priced.
 */
import { monthlyValue, type ChurnProfile } from "./behaviour";
import { drawLine, retailPrice } from "./catalog";
import { DAY } from "./options";
import type { Rng } from "./random";
import type { ChurnCause, SimFact, SimLine, SimulatedContract } from "./types";

export type EditKind = "downgrade" | "upgrade" | "cosmetic";

export interface PlannedEdit {
  at: number;
  kind: EditKind;
}

/** When a contract gets edited, given how (and whether) it ends. */
export function planEdits(rng: Rng, p: ChurnProfile, createdAt: number, stopAt: number, cycleMs: number, cause: ChurnCause | null, risk: number): PlannedEdit[] {
  const edits: PlannedEdit[] = [];
  const anytime = () => createdAt + rng.uniform(2 * DAY, Math.max(3 * DAY, stopAt - createdAt));
  if (cause === "price" && rng.chance(p.priceDowngradeShare)) {
    // Trading down in the last cycle or two, then leaving anyway.
    const at = stopAt - rng.uniform(0.3, 2) * cycleMs;
    if (at > createdAt + DAY) edits.push({ at, kind: "downgrade" });
  } else if (rng.chance(p.loyalDowngradeShare)) {
    edits.push({ at: anytime(), kind: "downgrade" });
  }
  // Low-risk subscribers upgrade more; high-risk ones rarely do.
  if (rng.chance(p.upgradeShare * (risk < 1 ? 1.5 : 0.4))) edits.push({ at: anytime(), kind: "upgrade" });
  if (rng.chance(p.cosmeticEditShare)) edits.push({ at: anytime(), kind: "cosmetic" });
  return edits.filter((e) => e.at < stopAt).sort((a, b) => a.at - b.at);
}

function downgrade(rng: Rng, lines: SimLine[]): SimLine[] {
  const double = lines.findIndex((l) => l.quantity > 1);
  if (double >= 0) return lines.map((l, i) => (i === double ? { ...l, quantity: l.quantity - 1 } : l));
  if (lines.length > 1) {
    // Drop the priciest line.
    let top = 0;
    lines.forEach((l, i) => (l.price > lines[top].price ? (top = i) : 0));
    return lines.filter((_, i) => i !== top);
  }
  // A single line at quantity 1: swap to a cheaper size.
  const l = lines[0];
  const cheaper = Math.min(l.price - 2, retailPrice(rng, l.price * rng.uniform(0.6, 0.85)));
  return [{ ...l, price: Math.max(5, Math.round(cheaper * 100) / 100) }];
}

function upgrade(rng: Rng, lines: SimLine[], currency: string): SimLine[] {
  if (lines.length < 3 && rng.chance(0.6)) return [...lines, drawLine(rng, currency, currency)];
  return lines.map((l, i) => (i === 0 ? { ...l, quantity: Math.min(3, l.quantity + 1) } : l));
}

/** Applies edits in order; each becomes an update webhook carrying the lines after it. */
export function applyEdits(
  rng: Rng,
  contract: SimulatedContract,
  edits: PlannedEdit[],
  c: number,
  paused: (t: number) => boolean,
  facts: SimFact[],
): void {
  let lines = contract.lines;
  for (const e of edits) {
    const next = e.kind === "downgrade" ? downgrade(rng, lines) : e.kind === "upgrade" ? upgrade(rng, lines, contract.currency) : lines;
    facts.push({
      kind: "edit",
      at: e.at,
      contract: c,
      revision: 0,
      status: paused(e.at) ? "paused" : "active",
      lines: next,
      fromValue: monthlyValue(lines, contract.interval, contract.intervalCount),
      toValue: monthlyValue(next, contract.interval, contract.intervalCount),
    });
    lines = next;
  }
}
