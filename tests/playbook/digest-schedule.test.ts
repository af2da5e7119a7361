// When the weekly digest is due: the chosen weekday at 08:00 shop time, until the week ends.
import { describe, expect, it } from "vitest";
import { digestDecision, digestScheduledAt } from "~/plays/digest-schedule";

const SHOP = "digest-shop.myshopify.com";
const base = { shop: SHOP, enabled: true, recipient: "owner@example.com", timeZone: "UTC" };
// 2026-11-30 is a Monday.
const at = (iso: string) => new Date(iso);

describe("the weekly digest's schedule", () => {
  it("is not due on Monday before 08:00 shop time", () => {
    expect(digestDecision({ ...base, now: at("2026-11-30T07:59:00Z") })).toMatchObject({ due: false, reason: "not_yet" });
  });

  it("is due from Monday 08:00, keyed by the shop and the week", () => {
    expect(digestDecision({ ...base, now: at("2026-11-30T08:00:00Z") })).toEqual({
      due: true,
      weekKey: "2026-11-30",
      uniqueId: `digest:${SHOP}:2026-11-30`,
      scheduledAt: at("2026-11-30T08:00:00Z"),
    });
  });

  it("stays due for the rest of the week, with the same key (a worker down on Monday sends it later)", () => {
    const sunday = digestDecision({ ...base, now: at("2026-12-06T23:59:00Z") });
    expect(sunday).toMatchObject({ due: true, uniqueId: `digest:${SHOP}:2026-11-30` });
  });

  it("starts a new week's key the next Monday at 08:00, and not before", () => {
    expect(digestDecision({ ...base, now: at("2026-12-07T07:00:00Z") })).toMatchObject({ due: false, reason: "not_yet" });
    expect(digestDecision({ ...base, now: at("2026-12-07T09:00:00Z") })).toMatchObject({ due: true, weekKey: "2026-12-07" });
  });

  it("reads 08:00 on the shop's clock: New York's Monday 08:00 is 13:00 UTC in winter", () => {
    const ny = { ...base, timeZone: "America/New_York" };
    expect(digestDecision({ ...ny, now: at("2026-11-30T12:59:00Z") })).toMatchObject({ due: false, reason: "not_yet" });
    expect(digestDecision({ ...ny, now: at("2026-11-30T13:00:00Z") })).toMatchObject({ due: true, weekKey: "2026-11-30" });
  });

  it("uses the shop's week: late Sunday in New York is still last week there", () => {
    // Monday 02:00 UTC is Sunday 21:00 in New York: last week's digest (due since its Monday), not this week's.
    expect(digestDecision({ ...base, timeZone: "America/New_York", now: at("2026-11-30T02:00:00Z") })).toMatchObject({ due: true, weekKey: "2026-11-23" });
  });

  it("goes out on the chosen weekday", () => {
    const wednesday = { ...base, weekday: 3 };
    expect(digestDecision({ ...wednesday, now: at("2026-12-01T12:00:00Z") })).toMatchObject({ due: false, reason: "not_yet" });
    expect(digestDecision({ ...wednesday, now: at("2026-12-02T08:00:00Z") })).toMatchObject({ due: true, weekKey: "2026-11-30" });
  });

  it("falls back to Monday for a weekday outside 1 to 7", () => {
    expect(digestScheduledAt("2026-11-30", "UTC", 9)).toEqual(at("2026-11-30T08:00:00Z"));
  });

  it("keeps 08:00 local across a daylight-saving change (Berlin, last Sunday of March)", () => {
    // 2027-03-29 is the Monday after the switch to CEST (UTC+2).
    expect(digestScheduledAt("2027-03-29", "Europe/Berlin")).toEqual(at("2027-03-29T06:00:00Z"));
    expect(digestScheduledAt("2027-03-22", "Europe/Berlin")).toEqual(at("2027-03-22T07:00:00Z"));
  });

  it("is never due when switched off, or with no one to send it to", () => {
    const monday = at("2026-11-30T09:00:00Z");
    expect(digestDecision({ ...base, enabled: false, now: monday })).toEqual({ due: false, reason: "off" });
    expect(digestDecision({ ...base, recipient: null, now: monday })).toEqual({ due: false, reason: "no_recipient" });
  });
});
