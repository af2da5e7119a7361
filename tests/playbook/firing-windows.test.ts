// The playbook's 30- and 90-day firing counts against the store's first firing.
import { describe, expect, it } from "vitest";
import { firingWindowsNote, windowStart } from "~/pages/playbook/firing-windows";

const now = new Date("2026-12-02T09:00:00Z");
const DAY = 86_400_000;

describe("firing windows", () => {
  it("start 30 and 90 days before now", () => {
    expect(windowStart(now, 30)).toEqual(new Date(now.getTime() - 30 * DAY));
    expect(windowStart(now, 90)).toEqual(new Date(now.getTime() - 90 * DAY));
  });

  it("say both counts start at the first firing on a store that began firing this week", () => {
    expect(firingWindowsNote(now, new Date("2026-11-29T08:31:00Z"), "UTC")).toBe("The first firing was on Nov 29, 2026, so both counts start there.");
  });

  it("say only the 90-day count is short two months in, and nothing once both windows are full or nothing fired", () => {
    expect(firingWindowsNote(now, new Date(now.getTime() - 60 * DAY), "UTC")).toBe("The first firing was on Oct 3, 2026, so the 90-day count starts there.");
    expect(firingWindowsNote(now, new Date(now.getTime() - 91 * DAY), "UTC")).toBeNull();
    expect(firingWindowsNote(now, null, "UTC")).toBeNull();
  });

  it("dates the first firing in the shop's time zone", () => {
    expect(firingWindowsNote(now, new Date("2026-11-29T02:00:00Z"), "America/Los_Angeles")).toBe("The first firing was on Nov 28, 2026, so both counts start there.");
  });
});
