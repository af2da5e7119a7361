// Win-backs: the Klaviyo flow for everyone who cancels, a person's task only where it pays.
import { describe, expect, it } from "vitest";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import { RETIRED_DEFAULTS } from "~/playbook/retired-defaults";
import { opensTaskFor } from "~/playbook/task-audience";
import { parseTrigger } from "~/playbook/schema";
import { ensurePlaybook, upgradeUneditedDefaults } from "~/models/triggers.server";
import { prisma } from "../plays/support";

const winback = DEFAULT_PLAYBOOK.find((t) => t.id === "cancelled-winback")!;

describe("whom a task play opens a task for", () => {
  it("the default win-back sends its Klaviyo event to everyone and opens a task only for high-value subscribers", () => {
    expect(winback.plays.map((p) => p.kind)).toEqual(["klaviyo_event", "task"]);
    expect(winback.taskFor).toBe("high_value");
    expect(opensTaskFor(winback.taskFor, { segmentKey: "established:high", monthlyValue: 90 })).toBe(true);
    expect(opensTaskFor(winback.taskFor, { segmentKey: "established:low", monthlyValue: 25 })).toBe(false);
  });

  it("a store's own minimum monthly value decides instead", () => {
    expect(opensTaskFor({ minMonthlyValue: 40 }, { segmentKey: "new:low", monthlyValue: 40 })).toBe(true);
    expect(opensTaskFor({ minMonthlyValue: 40 }, { segmentKey: "new:high", monthlyValue: 39.99 })).toBe(false);
    expect(opensTaskFor("everyone", { segmentKey: "new:low", monthlyValue: 1 })).toBe(true);
  });

  it("a trigger written before the setting existed opens tasks for everyone, and a bad minimum is refused in words", () => {
    const { taskFor: _omitted, ...old } = winback;
    const parsed = parseTrigger(old);
    expect(parsed.ok && parsed.value.taskFor).toBe("everyone");
    const bad = parseTrigger({ ...old, taskFor: { minMonthlyValue: -5 } });
    expect(bad.ok ? [] : bad.errors).toContain("taskFor.minMonthlyValue: the minimum monthly value must be above 0");
  });
});

describe("existing shops' seeded win-back", () => {
  it("an unedited earlier default takes the new one; an edited one is the merchant's and stays", async () => {
    const untouched = "winback-untouched.myshopify.com";
    const edited = "winback-edited.myshopify.com";
    for (const shop of [untouched, edited]) {
      await prisma.$transaction((tx) => ensurePlaybook(tx, shop));
      const old = { ...(RETIRED_DEFAULTS[0] as Record<string, unknown>), ...(shop === edited ? { slaHours: 12 } : {}) };
      await prisma.trigger.update({ where: { shop_key: { shop, key: "cancelled-winback" } }, data: { definition: JSON.stringify(old) } });
    }
    expect(await upgradeUneditedDefaults(prisma, untouched)).toBe(1);
    expect(await upgradeUneditedDefaults(prisma, untouched)).toBe(0);
    expect(await upgradeUneditedDefaults(prisma, edited)).toBe(0);
    const read = async (shop: string) => JSON.parse((await prisma.trigger.findUniqueOrThrow({ where: { shop_key: { shop, key: "cancelled-winback" } } })).definition);
    expect((await read(untouched)).taskFor).toBe("high_value");
    expect(await read(edited)).toMatchObject({ slaHours: 12 });
    expect((await read(edited)).taskFor).toBeUndefined();
  });
});
