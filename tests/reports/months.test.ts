import { describe, expect, it } from "vitest";
import { monthKey, monthKeyer } from "~/pages/reports/months";

describe("the signup month of many subscribers at once", () => {
  it.each(["UTC", "America/New_York", "Asia/Kathmandu", "America/St_Johns", "Pacific/Auckland"])(
    "agrees with formatting each instant in %s, at month ends and across clock changes",
    (timeZone) => {
      const of = monthKeyer(timeZone);
      // Every 7 minutes through a year, which lands near every local midnight at some point.
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 60_000 * 13) {
        const at = new Date(t);
        expect(of(at)).toBe(monthKey(at, timeZone));
      }
    },
  );
});
