import { describe, expect, it } from "vitest";
import { defaultHealthConfig as config, score } from "../../app/health";
import {
  NOW,
  base,
  cancelled,
  created,
  daysFromNow,
  decline,
  edit,
  ev,
  facts,
  newCard,
  newFacts,
  order,
  paused,
  skip,
  ticket,
  unskip,
} from "./factory";

const scoreOf = (events: Parameters<typeof score>[0], f = facts()) => score(events, f, config, NOW).score;

describe("each signal moves the score the right way", () => {
  it("a quiet established subscriber scores 100", () => {
    expect(scoreOf(base())).toBe(100);
  });

  it("more consecutive skips score lower", () => {
    expect(scoreOf(base(skip(50), skip(20)))).toBeLessThan(scoreOf(base(skip(20))));
  });

  it("a successful order ends the skip streak", () => {
    const streak = score(base(skip(50), skip(20)), facts(), config, NOW);
    const broken = score(base(skip(50), skip(20), order(5)), facts(), config, NOW);
    expect(streak.signals.consecutiveSkips).toBeGreaterThan(0);
    expect(broken.signals.consecutiveSkips).toBe(0);
  });

  it("taking back a skip ends the streak and raises the score", () => {
    expect(scoreOf(base(skip(20), unskip(10)))).toBeGreaterThan(scoreOf(base(skip(20))));
  });

  it("a hard decline lowers the score more than a soft one", () => {
    const hard = scoreOf(base(decline(3, "EXPIRED_PAYMENT_METHOD")));
    const soft = scoreOf(base(decline(3, "INSUFFICIENT_FUNDS")));
    expect(soft).toBeLessThan(100);
    expect(hard).toBeLessThan(soft);
  });

  it("a later successful charge on the same contract recovers a decline", () => {
    expect(scoreOf(base(decline(10, "INSUFFICIENT_FUNDS"), order(2)))).toBe(scoreOf(base()));
  });

  it("a successful charge on another contract does not recover the decline", () => {
    const events = [created(400, "1"), created(400, "2"), decline(10, "INSUFFICIENT_FUNDS", "1"), order(2, "2")];
    expect(score(events, facts(), config, NOW).signals.softDecline).toBeGreaterThan(0);
  });

  it("a new card softens a hard decline but does not clear it", () => {
    const hard = scoreOf(base(decline(5, "EXPIRED_PAYMENT_METHOD")));
    const softened = scoreOf(base(decline(5, "EXPIRED_PAYMENT_METHOD"), newCard(2)));
    expect(softened).toBeGreaterThan(hard);
    expect(softened).toBeLessThan(100);
  });

  it("a downgrade lowers the score", () => {
    expect(scoreOf(base(edit(10, 60, 35)))).toBeLessThan(scoreOf(base()));
  });

  it("an upgrade raises the score", () => {
    expect(scoreOf(base(ticket(5), edit(10, 35, 60)))).toBeGreaterThan(scoreOf(base(ticket(5))));
  });

  it("more orders in a row raise the score", () => {
    const one = scoreOf(base(order(30), ticket(5)));
    const three = scoreOf(base(order(90), order(60), order(30), ticket(5)));
    expect(one).toBeGreaterThan(scoreOf(base(ticket(5))));
    expect(three).toBeGreaterThan(one);
  });

  it("a failed charge ends the run of successful orders", () => {
    const r = score(base(order(90), order(60), decline(30, "INSUFFICIENT_FUNDS")), facts(), config, NOW);
    expect(r.signals.ordersInARow).toBe(0);
  });

  it("a card expiring before the next billing lowers the score", () => {
    const f = facts({ cardExpiry: { month: 6, year: 2025 }, nextBillingAt: daysFromNow(20) });
    expect(scoreOf(base(), f)).toBeLessThan(100);
  });

  it("a card expiring after the next billing does not", () => {
    const f = facts({ cardExpiry: { month: 6, year: 2025 }, nextBillingAt: daysFromNow(10) });
    expect(scoreOf(base(), f)).toBe(100);
  });

  it("a ticket in the first cycle lowers the score more than a later ticket of the same age", () => {
    const inFirst = newFacts(35); // ticket on day 25 of a 30-day cycle
    const later = newFacts(45); // ticket on day 35
    const dropFirst = scoreOf([created(35)], inFirst) - scoreOf([created(35), ticket(10)], inFirst);
    const dropLater = scoreOf([created(45)], later) - scoreOf([created(45), ticket(10)], later);
    expect(dropFirst).toBeGreaterThan(dropLater);
    expect(dropLater).toBeGreaterThan(0);
  });

  it("a pause lowers the score, a longer pause more", () => {
    const fresh = scoreOf(base(paused(3)));
    expect(fresh).toBeLessThan(100);
    expect(scoreOf(base(paused(40)))).toBeLessThan(fresh);
  });

  it("a resumed pause no longer counts", () => {
    expect(scoreOf(base(paused(40), ev("contract.resumed", 10)))).toBe(100);
  });

  it("a new subscriber carries more baseline risk than an established one", () => {
    expect(scoreOf([created(10)], newFacts(10))).toBeLessThan(scoreOf(base()));
  });

  it("baseline tenure risk fades as tenure grows", () => {
    const early = score([created(10)], newFacts(10), config, NOW).signals.tenure;
    const later = score([created(60)], newFacts(60), config, NOW).signals.tenure;
    expect(later).toBeLessThan(early);
  });
});

describe("decay", () => {
  it.each([
    ["a soft decline", (d: number) => decline(d, "INSUFFICIENT_FUNDS")],
    ["a hard decline", (d: number) => decline(d, "EXPIRED_PAYMENT_METHOD")],
    ["a downgrade", (d: number) => edit(d, 60, 35)],
    ["a ticket", (d: number) => ticket(d)],
    ["a skip", (d: number) => skip(d)],
  ])("%s 90 days ago weighs less than 2 days ago", (_name, make) => {
    expect(scoreOf(base(make(90)))).toBeGreaterThan(scoreOf(base(make(2))));
  });

  it("a signal with no half-life does not fade", () => {
    const noFade = { ...config, halfLifeDays: { ...config.halfLifeDays, softDecline: null } };
    const old = score(base(decline(90, "INSUFFICIENT_FUNDS")), facts(), noFade, NOW).signals.softDecline;
    expect(old).toBe(1);
  });
});

describe("timeline handling", () => {
  it("ignores events after now", () => {
    expect(scoreOf(base(decline(-3, "EXPIRED_PAYMENT_METHOD")))).toBe(100);
  });

  it("gives the same result for an unsorted timeline", () => {
    const events = base(skip(50), decline(3, "INSUFFICIENT_FUNDS"), order(40), edit(10, 60, 35));
    const shuffled = [events[3], events[0], events[4], events[2], events[1]];
    expect(score(shuffled, facts(), config, NOW)).toEqual(score(events, facts(), config, NOW));
  });

  it("scores a subscriber whose every contract ended 0 / critical", () => {
    const r = score(base(order(40), cancelled(10)), facts(), config, NOW);
    expect(r.score).toBe(0);
    expect(r.band).toBe("critical");
    expect(r.cancelledAt).toEqual(new Date(NOW.getTime() - 10 * 86_400_000));
  });

  it("does not treat a subscriber with one contract still active as cancelled", () => {
    const r = score([created(400, "1"), created(300, "2"), ev("contract.cancelled", 10, {}, "2")], facts(), config, NOW);
    expect(r.cancelledAt).toBeNull();
    expect(r.score).toBe(100);
  });
});
