// Each weight on the settings page is explained in a store owner's words.
import { describe, expect, it } from "vitest";
import { SIGNALS } from "~/health/config";
import { SIGNAL_HELP, SIGNAL_LABELS, signalHelp } from "~/health/settings-form";
import { SIGNAL_NAMES } from "~/health/types";

describe("weight descriptions", () => {
  it("say for every signal whether it takes points off or gives them back, and why it matters", () => {
    for (const s of SIGNAL_NAMES) {
      const help = signalHelp(s);
      expect(help).toBe(SIGNAL_HELP[s]);
      expect(help).toMatch(SIGNALS[s].direction === "risk" ? /^Points off / : /^Points back /);
      // What it is, then why: two sentences.
      expect(help.split(". ").length).toBeGreaterThanOrEqual(2);
      expect(help.length).toBeLessThan(200);
      expect(SIGNAL_LABELS[s]).toBeTruthy();
    }
  });

  it("use none of the engine's own words", () => {
    const engine = /\b(unit|half-life|unresolved|inventory|streak|scaled|signal)\b|[a-z][A-Z]|_/;
    for (const s of SIGNAL_NAMES) expect(SIGNAL_HELP[s], s).not.toMatch(engine);
  });
});
