// Retention by signup month: a triangle whose cells are known by construction.
import { describe, expect, it } from "vitest";
import { cohortRetention } from "~/pages/reports/cohorts";
import { MONTH_MS } from "~/pages/reports/months";

const after = (from: string, months: number) => new Date(new Date(from).getTime() + months * MONTH_MS);
const NOW = new Date("2026-09-15T12:00:00Z");

const subjects = [
  // January 2026: four subscribers
  { firstSubscribedAt: new Date("2026-01-05T10:00:00Z"), cancelledAt: after("2026-01-05T10:00:00Z", 0.5) },
  { firstSubscribedAt: new Date("2026-01-05T10:00:00Z"), cancelledAt: after("2026-01-05T10:00:00Z", 2.5) },
  { firstSubscribedAt: new Date("2026-01-20T10:00:00Z"), cancelledAt: after("2026-01-20T10:00:00Z", 7) },
  { firstSubscribedAt: new Date("2026-01-20T10:00:00Z"), cancelledAt: null },
  // August 2026: two, the later one a month and a few days before now
  { firstSubscribedAt: new Date("2026-08-01T10:00:00Z"), cancelledAt: new Date("2026-08-11T10:00:00Z") },
  { firstSubscribedAt: new Date("2026-08-10T10:00:00Z"), cancelledAt: null },
];

describe("retention by signup cohort", () => {
  const r = cohortRetention(subjects, NOW, "UTC");

  it("groups subscribers by the month they signed up, oldest first", () => {
    expect(r.cohorts.map((c) => [c.cohort, c.size])).toEqual([
      ["2026-01", 4],
      ["2026-08", 2],
    ]);
  });

  it("gives the share still subscribed after 1, 2, 3, 6 and 12 months", () => {
    expect(r.months).toEqual([1, 2, 3, 6, 12]);
    expect(r.cohorts[0].stillSubscribed).toEqual([3, 3, 2, 2, null]);
    expect(r.cohorts[0].retention).toEqual([0.75, 0.75, 0.5, 0.5, null]);
  });

  it("leaves a cell empty until everyone in the cohort has been subscribed that long", () => {
    expect(r.cohorts[1].stillSubscribed).toEqual([1, null, null, null, null]);
  });

  it("pools the filled cells weighted by cohort size", () => {
    expect(r.average[0]).toBeCloseTo(4 / 6);
    expect(r.average[1]).toBeCloseTo(3 / 4);
    expect(r.average[4]).toBeNull();
  });

  it("reads the signup month in the shop's time zone", () => {
    const lateEvening = [{ firstSubscribedAt: new Date("2026-02-01T03:00:00Z"), cancelledAt: null }];
    expect(cohortRetention(lateEvening, NOW, "America/New_York").cohorts[0].cohort).toBe("2026-01");
    expect(cohortRetention(lateEvening, NOW, "UTC").cohorts[0].cohort).toBe("2026-02");
  });

  it("keeps only the most recent cohorts", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ firstSubscribedAt: new Date(Date.UTC(2024, i, 15)), cancelledAt: null }));
    const limited = cohortRetention(many, NOW, "UTC", { limit: 13 });
    expect(limited.cohorts).toHaveLength(13);
    expect(limited.cohorts.at(-1)!.cohort).toBe("2025-08");
  });
});
