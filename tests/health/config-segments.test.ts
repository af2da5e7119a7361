import { describe, expect, it } from "vitest";
import {
  bandFor,
  defaultHealthConfig,
  parseHealthConfig,
  resolveWeights,
  score,
  segmentOf,
  type HealthConfig,
} from "../../app/health";
import { NOW, base, created, decline, facts, newFacts, ticket } from "./factory";

function parsed(input: unknown): HealthConfig {
  const r = parseHealthConfig(input);
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.config;
}

describe("bands", () => {
  it.each([
    [100, "healthy"],
    [80, "healthy"],
    [79, "watch"],
    [62, "watch"],
    [61, "at_risk"],
    [42, "at_risk"],
    [41, "critical"],
    [0, "critical"],
  ])("with default thresholds %i is %s", (s, band) => {
    expect(bandFor(s, defaultHealthConfig.bands)).toBe(band);
  });

  it("merchant thresholds change the band of the same subscriber", () => {
    const events = base(decline(3, "INSUFFICIENT_FUNDS"));
    const before = score(events, facts(), defaultHealthConfig, NOW);
    const strict = parsed({ bands: { healthy: 95, watch: 85, atRisk: 50 } });
    const after = score(events, facts(), strict, NOW);
    expect(after.score).toBe(before.score);
    expect(before.band).toBe("healthy");
    expect(after.band).toBe("watch");
  });
});

describe("config validation", () => {
  it("an empty config is the default config", () => {
    expect(parsed({})).toEqual(defaultHealthConfig);
  });

  it("explains thresholds out of order", () => {
    const r = parseHealthConfig({ bands: { healthy: 50, watch: 60 } });
    expect(r).toEqual({ ok: false, errors: ["healthy threshold (50) must be above the watch threshold (60)"] });
  });

  it("explains a segment override that breaks the order", () => {
    const r = parseHealthConfig({ overrides: { "new:high": { bands: { watch: 90 } } } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual(["Segment new:high: healthy threshold (80) must be above the watch threshold (90)"]);
  });

  it("names the field of a bad weight", () => {
    const r = parseHealthConfig({ weights: { hardDecline: -5 } });
    expect(!r.ok && r.errors[0]).toMatch(/^weights\.hardDecline: must be 0 or more/);
  });

  it("rejects an unknown segment key", () => {
    const r = parseHealthConfig({ overrides: { "vip:high": {} } });
    expect(!r.ok && r.errors[0]).toMatch(/^overrides\.vip:high: must look like/);
  });

  it("rejects unknown signals", () => {
    expect(parseHealthConfig({ weights: { vibes: 3 } }).ok).toBe(false);
  });
});

describe("segments", () => {
  const cfg = defaultHealthConfig;

  it("is new under 90 days of tenure", () => {
    expect(segmentOf(newFacts(89), NOW, cfg).tenure).toBe("new");
    expect(segmentOf(newFacts(91), NOW, cfg).tenure).toBe("established");
  });

  it("is still new with fewer than 3 completed cycles", () => {
    expect(segmentOf(newFacts(200, { billingIntervalDays: 90 }), NOW, cfg).tenure).toBe("new");
  });

  it("is high value at or above the threshold", () => {
    expect(segmentOf(facts({ monthlyValue: 60 }), NOW, cfg).key).toBe("established:high");
    expect(segmentOf(facts({ monthlyValue: 59.99 }), NOW, cfg).key).toBe("established:low");
  });

  it("defaults weigh a first-cycle ticket and tenure more for new subscribers", () => {
    const n = resolveWeights(cfg, "new:low");
    const e = resolveWeights(cfg, "established:low");
    expect(n.firstCycleTicket).toBeGreaterThan(e.firstCycleTicket);
    expect(n.tenure).toBeGreaterThan(e.tenure);
  });

  it("an exact override beats a wildcard, and applies only to its segment", () => {
    const c = parsed({ overrides: { "new:*": { weights: { tickets: 10 } }, "new:high": { weights: { tickets: 20 } } } });
    expect(resolveWeights(c, "new:high").tickets).toBe(20);
    expect(resolveWeights(c, "new:low").tickets).toBe(10);
    expect(resolveWeights(c, "established:high").tickets).toBe(defaultHealthConfig.weights.tickets);
  });

  it("score uses the subscriber's segment override", () => {
    const c = parsed({ overrides: { "*:high": { weights: { tickets: 30 } } } });
    const events = [created(400), ticket(40)];
    const low = score(events, facts({ monthlyValue: 20 }), c, NOW);
    const high = score(events, facts({ monthlyValue: 100 }), c, NOW);
    expect(high.segment.key).toBe("established:high");
    expect(high.score).toBeLessThan(low.score);
  });

  it("band thresholds can differ by segment", () => {
    const events = base(decline(3, "INSUFFICIENT_FUNDS")); // scores 90
    expect(score(events, facts({ monthlyValue: 20 }), cfg, NOW).band).toBe("healthy");
    const c = parsed({ overrides: { "*:high": { bands: { healthy: 95, watch: 60 } } } });
    expect(score(events, facts({ monthlyValue: 100 }), c, NOW).band).toBe("watch");
  });
});
