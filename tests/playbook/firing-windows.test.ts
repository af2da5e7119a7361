// The playbook's 30- and 90-day firing counts against when Lifeline started acting for the store.
import { describe, expect, it } from "vitest";
import { actingSince, firingWindowsNote, windowStart } from "~/pages/playbook/firing-windows";

const now = new Date("2026-12-02T09:00:00Z");
const DAY = 86_400_000;

describe("firing windows", () => {
  it("start 30 and 90 days before now", () => {
    expect(windowStart(now, 30)).toEqual(new Date(now.getTime() - 30 * DAY));
    expect(windowStart(now, 90)).toEqual(new Date(now.getTime() - 90 * DAY));
  });

  it("acting starts the live window before install: history older than that never fires", () => {
    expect(actingSince(new Date("2026-12-02T07:16:00Z"), 3)).toEqual(new Date("2026-11-29T07:16:00Z"));
  });

  it("say both counts start at the first day of acting on a store installed this week", () => {
    expect(firingWindowsNote(now, new Date("2026-11-29T07:16:00Z"), "UTC")).toBe("Lifeline started acting on Nov 29, 2026, so both counts start there.");
  });

  it("say only the 90-day count is short two months in, and nothing once both windows are full", () => {
    expect(firingWindowsNote(now, new Date(now.getTime() - 60 * DAY), "UTC")).toBe("Lifeline started acting on Oct 3, 2026, so the 90-day count starts there.");
    expect(firingWindowsNote(now, new Date(now.getTime() - 91 * DAY), "UTC")).toBeNull();
  });
});
