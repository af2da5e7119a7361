// The walk's calendar: week starts in the shop's zone, day starts in UTC.
import { expect, test } from "vitest";
import { dayStarts, weekBoundaries, weekKeyOf, weekStart } from "~/rescore/calendar";

const at = (iso: string) => Date.parse(iso);

test("week boundaries in UTC are the Mondays at midnight, each closing the week before", () => {
  expect(weekBoundaries(at("2026-11-25T10:00:00Z"), at("2026-12-08T00:00:00Z"), "UTC")).toEqual([
    { at: at("2026-11-30T00:00:00Z"), closes: "2026-11-23" },
    { at: at("2026-12-07T00:00:00Z"), closes: "2026-11-30" },
  ]);
  // A boundary exactly at `from` is not in (from, to]; one exactly at `to` is.
  expect(weekBoundaries(at("2026-11-30T00:00:00Z"), at("2026-12-07T00:00:00Z"), "UTC")).toEqual([{ at: at("2026-12-07T00:00:00Z"), closes: "2026-11-30" }]);
});

test("week boundaries follow the shop's zone, across a daylight-saving change", () => {
  // Europe/Berlin leaves summer time on Sunday 2026-10-25: Monday midnight is 22:00 UTC before, 23:00 UTC after.
  expect(weekBoundaries(at("2026-10-14T12:00:00Z"), at("2026-11-03T00:00:00Z"), "Europe/Berlin")).toEqual([
    { at: at("2026-10-18T22:00:00Z"), closes: "2026-10-12" },
    { at: at("2026-10-25T23:00:00Z"), closes: "2026-10-19" },
    { at: at("2026-11-01T23:00:00Z"), closes: "2026-10-26" },
  ]);
  expect(weekKeyOf(at("2026-11-01T23:30:00Z"), "Europe/Berlin")).toBe("2026-11-02");
  expect(weekKeyOf(at("2026-11-01T22:30:00Z"), "Europe/Berlin")).toBe("2026-10-26");
  expect(weekStart("2026-11-02", "America/New_York")).toBe(at("2026-11-02T05:00:00Z"));
});

test("day starts are the UTC midnights in (from, to]", () => {
  expect(dayStarts(at("2026-11-29T12:00:00Z"), at("2026-12-01T00:00:00Z"))).toEqual([at("2026-11-30T00:00:00Z"), at("2026-12-01T00:00:00Z")]);
});
