import { describe, expect, it } from "vitest";
import { evaluateTriggers } from "~/playbook/evaluate";
import { buildEventProperties, COMMON_EVENT_PROPERTIES, firingUniqueId, LIFELINE_METRICS, LIFELINE_METRIC_NAMES } from "~/playbook/metrics";
import { parsePlaybook, parseTrigger } from "~/playbook/schema";
import { daysAgo, NOW, snap, trigger } from "./fixtures";

const valid = {
  id: "skips",
  name: "Two skips",
  condition: { type: "consecutive_skips_at_least", n: 2 },
  cooldownDays: 14,
  priority: "normal",
  slaHours: 48,
  plays: [{ kind: "klaviyo_event", metric: "Lifeline: Skip Streak" }],
  outcomeWindowDays: 30,
};

describe("trigger validation", () => {
  it("accepts a valid trigger, fills defaults, and survives a JSON round trip", () => {
    const r = parseTrigger(JSON.parse(JSON.stringify(valid)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ enabled: true, owner: "Store owner", holdoutPercent: 0 });
    expect(r.value.plays[0]).toEqual({ kind: "klaviyo_event", metric: "Lifeline: Skip Streak", runInHoldout: false });
  });

  it("explains what is wrong, with the path", () => {
    const r = parseTrigger({
      ...valid,
      id: "Two Skips!",
      condition: { type: "consecutive_skips_at_least", n: 0 },
      priority: "asap",
      holdoutPercent: 80,
      plays: [{ kind: "sms" }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        "id: id must be 1-64 lower-case letters, digits, '-' or '_'",
        "condition.n: n (skips in a row) must be at least 1",
        "priority: priority must be one of: low, normal, high, urgent",
        "holdoutPercent: holdoutPercent must be between 0 and 50",
        "plays.0.kind: unknown play kind; expected one of: klaviyo_event, klaviyo_profile, task",
      ]),
    );
  });

  it("rejects unknown condition types, empty plays, unknown fields and duplicate ids", () => {
    const r = parseTrigger({ ...valid, condition: { type: "moon_phase" }, plays: [], colour: "red" });
    expect(!r.ok && r.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^condition.type: unknown condition type; expected one of: consecutive_skips_at_least, payment_failed/),
        "plays: a trigger needs at least one play",
        expect.stringMatching(/Unrecognized key.*colour/),
      ]),
    );
    const { condition: _omitted, ...noCondition } = valid;
    expect(parseTrigger(noCondition)).toEqual({ ok: false, errors: ["condition: condition is required"] });
    expect(parseTrigger(null)).toEqual({ ok: false, errors: ["a trigger must be an object, not null"] });
    const dup = parsePlaybook([valid, valid]);
    expect(!dup.ok && dup.errors).toEqual(['triggers.1.id: duplicate trigger id "skips"']);
    expect(parsePlaybook({})).toEqual({ ok: false, errors: ["a playbook must be a list of triggers"] });
  });
});

describe("metrics contract", () => {
  it("names are unique and prefixed", () => {
    expect(new Set(LIFELINE_METRIC_NAMES).size).toBe(LIFELINE_METRIC_NAMES.length);
    for (const name of LIFELINE_METRIC_NAMES) expect(name).toMatch(/^Lifeline: [A-Z][A-Za-z ]+$/);
    expect(LIFELINE_METRICS.paymentFailed.name).toBe("Lifeline: Payment Failed");
  });

  it("event properties carry what a flow personalises on, with a deterministic unique id", () => {
    const s = snap({
      subscriberId: "4242",
      score: 31,
      band: "critical",
      consecutiveSkips: 1,
      lastFailure: { failureClass: "hard_decline", errorCode: "EXPIRED_PAYMENT_METHOD", at: daysAgo(0) },
    });
    const t = trigger({ id: "payment-failed-hard", name: "Hard decline", condition: { type: "payment_failed", failureClass: "hard_decline" } });
    const [f] = evaluateTriggers(null, s, [t], [], { maxPlaysPerWeek: 3 }, NOW).fire;
    const built = buildEventProperties(s, f!, f!.reasons);
    expect(built.properties).toEqual({
      trigger: "payment-failed-hard",
      trigger_name: "Hard decline",
      score: 31,
      band: "critical",
      reasons: ["Payment failed (hard decline: EXPIRED_PAYMENT_METHOD)"],
      contract_id: "4242",
      next_billing_date: "2025-06-20",
      monthly_value: 40,
      skip_count: 1,
      error_class: "hard_decline",
      error_code: "EXPIRED_PAYMENT_METHOD",
    });
    expect(Object.keys(built.properties).sort()).toEqual([...COMMON_EVENT_PROPERTIES].sort());
    expect(built.time).toEqual(NOW);
    expect(built.uniqueId).toBe(`lifeline:payment-failed-hard:4242:${NOW.getTime()}`);
    expect(buildEventProperties(s, f!, f!.reasons).uniqueId).toBe(built.uniqueId);
    expect(firingUniqueId({ ...f!, firedAt: new Date(NOW.getTime() + 1) })).not.toBe(built.uniqueId);
  });
});
