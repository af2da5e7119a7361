/**
 * Default triggers as earlier versions of the app seeded them. A shop whose stored
 * definition is still exactly one of these never edited it, so it takes the current
 * default (models/triggers.server.ts, upgradeUneditedDefaults); an edited one is the
 * merchant's and is left alone. Pure data.
 */
export const RETIRED_DEFAULTS: readonly unknown[] = [
  // Before win-backs opened a task only for high-value subscribers: a task for every cancellation.
  {
    id: "cancelled-winback",
    name: "Cancelled: win back",
    enabled: true,
    condition: { type: "contract_cancelled" },
    cooldownDays: 90,
    owner: "Store owner",
    priority: "normal",
    slaHours: 48,
    plays: [
      { kind: "klaviyo_event", metric: "Lifeline: Cancelled", runInHoldout: false },
      { kind: "task", suggestedAction: "Capture the cancellation reason (reply to the exit survey or call).", runInHoldout: true },
    ],
    holdoutPercent: 10,
    outcomeWindowDays: 60,
  },
];

/** Same JSON value, whatever the key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The retired default this stored text is, unchanged, if it is one. */
export function isRetiredDefault(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return RETIRED_DEFAULTS.some((d) => sameJson(d, value));
}
