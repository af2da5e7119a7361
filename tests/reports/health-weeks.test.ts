// Health over time: weekly snapshot counts laid out as a week-by-week series.
import { describe, expect, it } from "vitest";
import { bandWeeks, trimLeadingEmpty } from "~/pages/reports/health-weeks";

const KEYS = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"];

describe("health over time", () => {
  const weeks = bandWeeks(KEYS, [
    { periodKey: "2026-03-09", band: "healthy", count: 8 },
    { periodKey: "2026-03-09", band: "critical", count: 2 },
    { periodKey: "2026-03-23", band: "at_risk", count: 3 },
    { periodKey: "2026-02-23", band: "healthy", count: 99 }, // outside the weeks asked for
    { periodKey: "2026-03-23", band: "unknown", count: 5 },
  ]);

  it("puts each band's count in its week, with a total", () => {
    expect(weeks[1]).toEqual({ week: "2026-03-09", total: 10, healthy: 8, watch: 0, at_risk: 0, critical: 2 });
    expect(weeks[3]).toMatchObject({ total: 3, at_risk: 3 });
  });

  it("keeps a week without snapshots as a gap, not a missing week", () => {
    expect(weeks.map((w) => w.week)).toEqual(KEYS);
    expect(weeks[2].total).toBe(0);
  });

  it("starts the series at the first week with snapshots, keeping a minimum length", () => {
    expect(trimLeadingEmpty(weeks).map((w) => w.week)).toEqual(KEYS.slice(1));
    expect(trimLeadingEmpty(weeks, 4)).toHaveLength(4);
  });
});
