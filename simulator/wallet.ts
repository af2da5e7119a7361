/**
 * A customer's cards over time. Shared by all their contracts, so a card that
 * lapses declines every contract, and a fix made for one recovers the others.
 */
import { CARD_BRANDS } from "./catalog";
import { DAY, MINUTE } from "./options";
import type { Rng } from "./random";
import type { SimCard, SimFact } from "./types";

interface CardPeriod {
  from: number;
  card: SimCard;
  /** Cards work through the last day of their expiry month. */
  validUntil: number;
}

function validUntil(card: SimCard): number {
  return Date.UTC(card.year, card.month, 1); // month is 1-based, so this is the 1st of the next month
}

export class Wallet {
  private periods: CardPeriod[] = [];
  /** Lapsed cards whose owner already decided whether to fix them (they decide once). */
  private decided = new Set<string>();

  constructor(
    private readonly rng: Rng,
    private readonly facts: SimFact[],
    private readonly holder: string,
    private readonly endMs: number,
  ) {}

  /** A brand-new card, expiring 1-5 years after `at`. */
  newCard(at: number, expiryMonthsMin: number, expiryMonthsMax: number): SimCard {
    const d = new Date(at);
    const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth() + this.rng.int(expiryMonthsMin, expiryMonthsMax);
    return {
      token: this.rng.hex(32),
      brand: this.rng.weighted(CARD_BRANDS),
      lastDigits: String(this.rng.int(0, 9999)).padStart(4, "0"),
      month: (monthIndex % 12) + 1,
      year: Math.floor(monthIndex / 12),
      name: this.holder,
    };
  }

  /** Records a card change (and its webhook) unless it falls after the simulation ends. */
  add(at: number, card: SimCard, topic: "create" | "update"): boolean {
    if (at >= this.endMs) return false;
    const previous = this.periods.length ? this.periods[this.periods.length - 1].card : null;
    this.periods.push({ from: at, card, validUntil: validUntil(card) });
    this.periods.sort((a, b) => a.from - b.from);
    this.facts.push({ kind: "payment_method", at, topic, card });
    // Replacing a card with a different one removes the old from the customer's vault.
    if (topic === "create" && previous && previous.token !== card.token && at + MINUTE < this.endMs) {
      this.facts.push({ kind: "payment_method", at: at + MINUTE, topic: "revoke", card: previous });
    }
    return true;
  }

  cardAt(t: number): CardPeriod | null {
    let found: CardPeriod | null = null;
    for (const p of this.periods) {
      if (p.from > t) break;
      found = p;
    }
    return found;
  }

  validAt(t: number): boolean {
    const p = this.cardAt(t);
    return p != null && t < p.validUntil;
  }

  /** The same card with a new expiry: what a card updater or the customer's "update card" produces. */
  renew(at: number, card: SimCard): boolean {
    const months = this.rng.int(36, 60);
    const idx = card.year * 12 + card.month - 1 + months;
    return this.add(at, { ...card, month: (idx % 12) + 1, year: Math.floor(idx / 12) }, "update");
  }

  /** Replaces the card with a new one (create + revoke of the old). */
  replace(at: number): boolean {
    return this.add(at, this.newCard(at, 36, 60), "create");
  }

  /**
   * The subscriber's response to a decline that needs them: with probability `share`
   * they fix the card within a few days. Returns when it is fixed, or null.
   */
  react(t: number, share: number, expired: boolean): number | null {
    const current = this.cardAt(t);
    if (!current) return null;
    const key = `${current.card.token}:${current.card.year}-${current.card.month}:${expired ? "x" : "i"}`;
    if (this.decided.has(key)) return null;
    this.decided.add(key);
    if (!this.rng.chance(share)) return null;
    const at = t + this.rng.uniform(0.3, 3.5) * DAY;
    const done = expired && this.rng.chance(0.5) ? this.renew(at, current.card) : this.replace(at);
    return done ? at : null;
  }
}
