import { describe, expect, it } from "vitest";
import { startOfLocalDay, weekOf } from "~/health/weeks.server";

/** The Monday of the local week, read straight off the time-zone database. */
const formats = new Map<string, Intl.DateTimeFormat>();
function referenceWeekOf(at: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" })));
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const back = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) - back)).toISOString().slice(0, 10);
}

const ZONES = ["UTC", "America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns"];

describe("weeks in the shop's zone", () => {
  it("puts every instant in the same week as the time-zone database, across DST changes and odd offsets", () => {
    // Each quarter hour (when offsets change) and the moment before it, through the days
    // around the 2026 changes in both hemispheres.
    const spans = [
      [Date.UTC(2026, 2, 6), Date.UTC(2026, 2, 10)],
      [Date.UTC(2026, 3, 3), Date.UTC(2026, 3, 7)],
      [Date.UTC(2026, 9, 2), Date.UTC(2026, 9, 6)],
      [Date.UTC(2026, 9, 23), Date.UTC(2026, 10, 3)],
    ];
    for (const zone of ZONES) {
      for (const [from, to] of spans) {
        for (let quarter = from; quarter < to; quarter += 900_000) {
          for (const at of [quarter - 1, quarter]) {
            const want = referenceWeekOf(new Date(at), zone);
            if (weekOf(new Date(at), zone) !== want) expect(weekOf(new Date(at), zone), `${zone} at ${new Date(at).toISOString()}`).toBe(want);
          }
        }
      }
    }
  });

  it("starts each week at the local Monday midnight, which is in that week and a moment after the one before", () => {
    for (const zone of ZONES) {
      for (const key of ["2026-03-09", "2026-03-30", "2026-04-06", "2026-10-05", "2026-10-26", "2026-11-02"]) {
        const start = startOfLocalDay(key, zone).getTime();
        expect(weekOf(new Date(start), zone), zone).toBe(key);
        expect(weekOf(new Date(start - 1), zone), zone).not.toBe(key);
      }
    }
  });

  it("falls back to UTC for a zone the database does not know", () => {
    expect(weekOf(new Date("2026-11-30T03:00:00Z"), "Mars/Olympus_Mons")).toBe("2026-11-30");
  });
});
