import { describe, expect, it } from "vitest";
import { rollNextBillingForward } from "~/health/facts-at";

const NOW = new Date("2026-11-30T12:00:00Z");
const day = (s: string) => new Date(`${s}T00:00:00Z`);

describe("a next billing date read from Shopify some time ago", () => {
  it("stays as it is while it is still ahead", () => {
    expect(rollNextBillingForward(day("2026-12-04"), 30, NOW)).toEqual(day("2026-12-04"));
  });

  it("moves on by whole intervals once it has passed", () => {
    expect(rollNextBillingForward(day("2026-09-04"), 30, NOW)).toEqual(day("2026-12-03"));
    expect(rollNextBillingForward(day("2026-11-23"), 7, NOW)).toEqual(day("2026-12-07"));
  });

  it("stays as it is when the interval is unknown, and null stays null", () => {
    expect(rollNextBillingForward(day("2026-09-04"), null, NOW)).toEqual(day("2026-09-04"));
    expect(rollNextBillingForward(null, 30, NOW)).toBeNull();
  });
});
