// The trigger editor's Klaviyo metric follows the condition, and a disabled save says why (editor-form.ts).
import { describe, expect, it } from "vitest";
import { NEW_TRIGGER_VALUES, saveBlockedReason, withField } from "~/playbook/editor-form";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import { METRIC_FOR_CONDITION } from "~/playbook/metrics";
import { CONDITION_OPTIONS } from "~/playbook/editor-form";

describe("the Klaviyo metric of a trigger being edited", () => {
  it("starts as the skip metric for the new trigger's skip condition", () => {
    expect(NEW_TRIGGER_VALUES.conditionType).toBe("consecutive_skips_at_least");
    expect(NEW_TRIGGER_VALUES.metric).toBe("Lifeline: Skip Streak");
  });

  it("follows the condition: payment failed sends the payment metric, cancelled the win-back one", () => {
    const payment = withField(NEW_TRIGGER_VALUES, "conditionType", "payment_failed");
    expect(payment.metric).toBe("Lifeline: Payment Failed");
    const cancelled = withField(payment, "conditionType", "contract_cancelled");
    expect(cancelled.metric).toBe("Lifeline: Cancelled");
    expect(withField(cancelled, "conditionType", "card_expires_before_next_billing").metric).toBe("Lifeline: Card Expiring");
  });

  it("stays as the merchant picked it when the condition changes after", () => {
    const picked = withField(NEW_TRIGGER_VALUES, "metric", "Lifeline: At Risk");
    const moved = withField(picked, "conditionType", "payment_failed");
    expect(moved.conditionType).toBe("payment_failed");
    expect(moved.metric).toBe("Lifeline: At Risk");
  });

  it("has a suggestion for every condition the editor offers, and matches what the default playbook sends", () => {
    for (const option of CONDITION_OPTIONS) expect(METRIC_FOR_CONDITION[option.value]).toMatch(/^Lifeline: /);
    for (const trigger of DEFAULT_PLAYBOOK) {
      const event = trigger.plays.find((p) => p.kind === "klaviyo_event");
      if (event?.kind === "klaviyo_event") expect({ id: trigger.id, metric: METRIC_FOR_CONDITION[trigger.condition.type] }).toEqual({ id: trigger.id, metric: event.metric });
    }
  });
});

describe("why saving is off", () => {
  it("says a new trigger needs its preview first", () => {
    expect(saveBlockedReason({ isNew: true, needsPreview: true, previewed: false, fresh: false })).toBe(
      "Create trigger is off until you run the preview (dry run), which shows how often the trigger would have fired and for whom.",
    );
  });

  it("says the preview is out of date after the condition changed", () => {
    expect(saveBlockedReason({ isNew: true, needsPreview: true, previewed: true, fresh: false })).toMatch(/^Create trigger is off: the condition, segment or cooldown changed since the last preview/);
    expect(saveBlockedReason({ isNew: false, needsPreview: true, previewed: false, fresh: false })).toMatch(/^Save is off until you run the preview/);
  });

  it("says nothing once the preview is fresh, or when none is needed", () => {
    expect(saveBlockedReason({ isNew: true, needsPreview: true, previewed: true, fresh: true })).toBeNull();
    expect(saveBlockedReason({ isNew: false, needsPreview: false, previewed: false, fresh: false })).toBeNull();
  });
});
