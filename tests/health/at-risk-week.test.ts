// The rules of "at risk this week" (app/health/at-risk-week.ts) and the shop-currency-first money line.
import { describe, expect, it } from "vitest";
import { atRiskWeekMembers, moneyByCurrency, viewOf, weekChanges, type BandMove, type HealthNow } from "~/health/at-risk-week";
import { formatMoneyTotals } from "~/domain/money";

const health = (subscriberId: string, band: HealthNow["band"], over: Partial<HealthNow> = {}): HealthNow => ({
  subscriberId,
  band,
  score: { healthy: 85, watch: 65, at_risk: 45, critical: 20 }[band],
  live: true,
  monthlyValue: 10,
  currency: "USD",
  ...over,
});
const move = (subscriberId: string, fromBand: BandMove["fromBand"], band: BandMove["band"], at: string, live = true): BandMove => ({
  subscriberId,
  fromBand,
  band,
  at: new Date(at),
  live,
});
const NOW = new Date("2026-12-02T12:00:00Z");

describe("who is on this week's list", () => {
  it("takes everyone still subscribed who is at risk or critical now", () => {
    const members = atRiskWeekMembers([health("a", "at_risk"), health("b", "critical"), health("c", "watch")], [], "USD");
    expect(members.map((m) => [m.subscriberId, m.recovered, m.crossedFrom])).toEqual([
      ["b", false, null],
      ["a", false, null],
    ]);
  });

  it("adds those who crossed in this week and are back to health, as recovered", () => {
    const members = atRiskWeekMembers([health("e", "healthy")], [move("e", "watch", "at_risk", "2026-11-30T10:00:00Z"), move("e", "at_risk", "healthy", "2026-12-01T10:00:00Z")], "USD");
    expect(members).toMatchObject([{ subscriberId: "e", recovered: true, crossedFrom: "watch", crossedAt: new Date("2026-11-30T10:00:00Z") }]);
  });

  it("leaves out a cancelled subscriber, whatever their band or crossing", () => {
    const members = atRiskWeekMembers(
      [health("f", "critical", { live: false }), health("g", "critical", { live: false })],
      [move("f", "healthy", "critical", "2026-12-01T00:00:00Z", false), move("g", "watch", "at_risk", "2026-11-30T00:00:00Z")],
      "USD",
    );
    expect(members).toEqual([]);
  });

  it("does not count a move within or out of the bands, or a cancellation, as crossing in", () => {
    const members = atRiskWeekMembers(
      [health("h", "critical"), health("i", "healthy")],
      [move("h", "at_risk", "critical", "2026-12-01T00:00:00Z"), move("i", "watch", "healthy", "2026-12-01T00:00:00Z")],
      "USD",
    );
    expect(members.map((m) => [m.subscriberId, m.crossedFrom])).toEqual([["h", null]]);
  });

  it("says the first crossing of the week, and gives a subscriber without a currency the shop's", () => {
    const [m] = atRiskWeekMembers(
      [health("j", "critical", { currency: null })],
      [move("j", "at_risk", "healthy", "2026-11-30T09:00:00Z"), move("j", "watch", "critical", "2026-12-01T09:00:00Z"), move("j", "healthy", "at_risk", "2026-11-30T08:00:00Z")],
      "CAD",
    );
    expect([m.crossedFrom, m.crossedAt?.toISOString(), m.currency]).toEqual(["healthy", "2026-11-30T08:00:00.000Z", "CAD"]);
  });

  it("ranks by monthly value, then the lower score", () => {
    const members = atRiskWeekMembers([health("a", "at_risk", { monthlyValue: 5 }), health("b", "at_risk", { monthlyValue: 9 }), health("c", "critical", { monthlyValue: 9 })], [], "USD");
    expect(members.map((m) => m.subscriberId)).toEqual(["c", "b", "a"]);
  });
});

describe("the tab a member is in", () => {
  const atRisk = { recovered: false };
  it("is Recovered before anything else, then Snoozed while the snooze lasts, then Dismissed when no task is left", () => {
    expect(viewOf({ recovered: true }, { status: "snoozed", snoozedUntil: new Date("2026-12-09") }, true, NOW)).toBe("recovered");
    expect(viewOf(atRisk, { status: "snoozed", snoozedUntil: new Date("2026-12-09") }, false, NOW)).toBe("snoozed");
    expect(viewOf(atRisk, { status: "snoozed", snoozedUntil: new Date("2026-12-01") }, false, NOW)).toBe("review");
    expect(viewOf(atRisk, undefined, true, NOW)).toBe("dismissed");
    expect(viewOf(atRisk, { status: "open", snoozedUntil: null }, true, NOW)).toBe("review");
  });
});

describe("money", () => {
  it("keeps each currency's total apart, to the cent", () => {
    expect(moneyByCurrency([{ monthlyValue: 0.1, currency: "USD" }, { monthlyValue: 0.2, currency: "USD" }, { monthlyValue: 120, currency: "AUD" }])).toEqual({ USD: 0.3, AUD: 120 });
  });

  it("shows the shop's currency first and every other one beside it, largest first, never added", () => {
    expect(formatMoneyTotals({ EUR: 45, USD: 983.87, AUD: 120 }, "USD")).toBe("$983.87 · A$120.00 · €45.00");
    expect(formatMoneyTotals({ EUR: 45 }, "USD")).toBe("$0.00 · €45.00");
    expect(formatMoneyTotals({}, "CAD")).toBe("CA$0.00");
  });
});

describe("the week's changes", () => {
  it("counts moves made while subscribed by those still subscribed, each subscriber once a line", () => {
    const moves = [
      move("a", "healthy", "at_risk", "2026-11-30T01:00:00Z"),
      move("a", "at_risk", "critical", "2026-11-30T02:00:00Z"),
      move("b", "watch", "healthy", "2026-11-30T01:00:00Z"),
      move("c", "healthy", "critical", "2026-11-30T01:00:00Z", false),
      move("d", "healthy", "watch", "2026-11-30T01:00:00Z"),
    ];
    expect(weekChanges(moves, new Set(["a", "b", "c"]), 4)).toEqual({ enteredAtRisk: 1, worsened: 1, improved: 1, cancelled: 4 });
  });
});
