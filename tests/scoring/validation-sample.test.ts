// On a large store the score is checked on a stable sample of subscribers: the same
// sample each time, so the figures a merchant sees do not jump between visits.
import { beforeAll, describe, expect, it } from "vitest";
import { loadSubjectSample, validateShopScore } from "~/health/validate-shop.server";
import { seededShop } from "../support/seeded-shop";

const SHOP = "sampled.myshopify.com";
let now: Date;

beforeAll(async () => {
  ({ now } = await seededShop(SHOP, { subscribers: 120, months: 6 }));
}, 60_000);

describe("the subscribers the score is checked on", () => {
  it("takes everyone when the store is small enough", async () => {
    const all = await loadSubjectSample(SHOP, "UTC", now);
    expect(all.total).toBe(120);
    expect(all.subjects).toHaveLength(120);
  });

  it("takes a sample of the asked size beyond it, the same subscribers every time", async () => {
    const a = await loadSubjectSample(SHOP, "UTC", now, 50);
    const b = await loadSubjectSample(SHOP, "UTC", now, 50);
    expect(a.total).toBe(120);
    expect(a.subjects).toHaveLength(50);
    expect(a.subjects.map((s) => s.id).sort()).toEqual(b.subjects.map((s) => s.id).sort());
  });

  it("says how many subscribers the check covered", async () => {
    const v = await validateShopScore(SHOP, now);
    expect(v.sample).toEqual({ subjects: 120, of: 120 });
  });
});
