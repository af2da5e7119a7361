/**
 * The trigger editor's form: flat text fields as a browser posts them, turned into a
 * trigger definition and checked by the same schema the engine uses. Errors come back
 * per form field, in the schema's words with the field named as the form labels it.
 * Pure and free of server code: the page imports it too (options, defaults, fingerprint).
 */
import { z } from "zod";
import { LIFELINE_METRIC_NAMES, METRIC_FOR_CONDITION } from "./metrics";
import { PRIORITIES, triggerSchema, type ConditionType, type Play, type TriggerDefinition } from "./schema";

export type EditorValues = Record<EditorField, string>;

export const EDITOR_FIELDS = [
  "name",
  "conditionType",
  "n",
  "failureClass",
  "days",
  "band",
  "points",
  "minTenureDays",
  "minUpgrades",
  "segmentTenure",
  "segmentValue",
  "cooldownDays",
  "owner",
  "priority",
  "slaHours",
  "playEvent",
  "metric",
  "playProfile",
  "playTask",
  "suggestedAction",
  "taskInHoldout",
  "taskFor",
  "taskMinMonthlyValue",
  "holdoutPercent",
  "outcomeWindowDays",
  "enabled",
] as const;
export type EditorField = (typeof EDITOR_FIELDS)[number];

/** Which parameter fields each condition type shows. */
export const CONDITION_OPTIONS: { value: ConditionType; label: string; params: EditorField[] }[] = [
  { value: "consecutive_skips_at_least", label: "Skipped deliveries in a row", params: ["n"] },
  { value: "payment_failed", label: "A payment failed", params: ["failureClass"] },
  { value: "card_expires_before_next_billing", label: "Card expires before the next billing", params: [] },
  { value: "service_ticket_in_first_cycle", label: "Support ticket in the first billing cycle", params: [] },
  { value: "contract_cancelled", label: "Cancelled the subscription", params: [] },
  { value: "paused_longer_than", label: "Paused for longer than", params: ["days"] },
  { value: "entered_band", label: "Health score entered a band", params: ["band"] },
  { value: "score_dropped", label: "Health score dropped within 7 days", params: ["points"] },
  { value: "new_before_second_delivery", label: "New subscriber before the second delivery", params: ["minTenureDays"] },
  { value: "loyal_with_upgrades", label: "Loyal subscriber who upgrades", params: ["minTenureDays", "minUpgrades"] },
];

export const METRIC_OPTIONS: readonly string[] = LIFELINE_METRIC_NAMES;
export { PRIORITIES };

export const NEW_TRIGGER_VALUES: EditorValues = {
  name: "",
  conditionType: "consecutive_skips_at_least",
  n: "2",
  failureClass: "",
  days: "30",
  band: "at_risk",
  points: "15",
  minTenureDays: "0",
  minUpgrades: "1",
  segmentTenure: "*",
  segmentValue: "*",
  cooldownDays: "30",
  owner: "Store owner",
  priority: "normal",
  slaHours: "72",
  playEvent: "true",
  metric: METRIC_FOR_CONDITION.consecutive_skips_at_least,
  playProfile: "false",
  playTask: "false",
  suggestedAction: "",
  taskInHoldout: "false",
  taskFor: "everyone",
  taskMinMonthlyValue: "",
  holdoutPercent: "10",
  outcomeWindowDays: "45",
  enabled: "true",
};

/** The metric suggested for a condition as the form holds it; null for one the form does not know. */
export function suggestedMetric(conditionType: string): string | null {
  return (METRIC_FOR_CONDITION as Record<string, string>)[conditionType] ?? null;
}

/**
 * The form after one field changes. A new condition brings its own Klaviyo metric along,
 * unless the metric was picked by hand (it is no longer the old condition's suggestion).
 */
export function withField(values: EditorValues, field: EditorField, value: string): EditorValues {
  const next = { ...values, [field]: value };
  if (field === "conditionType" && values.metric === suggestedMetric(values.conditionType)) {
    next.metric = suggestedMetric(value) ?? values.metric;
  }
  return next;
}

/**
 * Why the editor's Create or Save button is off, in words, or null when it is on: a new
 * trigger, or a change to who it fires for, is saved only after a preview of that version.
 */
export function saveBlockedReason(state: { isNew: boolean; needsPreview: boolean; previewed: boolean; fresh: boolean }): string | null {
  if (!state.needsPreview || state.fresh) return null;
  const button = state.isNew ? "Create trigger" : "Save";
  if (state.previewed) return `${button} is off: the condition, segment or cooldown changed since the last preview. Run the preview again to see who this version fires for.`;
  return state.isNew
    ? `${button} is off until you run the preview (dry run), which shows how often the trigger would have fired and for whom.`
    : `${button} is off until you run the preview (dry run): the change alters who this trigger fires for.`;
}

/** Reads posted form data; anything missing takes the new-trigger default (unchecked for boxes). */
export function editorValuesFrom(form: Record<string, unknown>): EditorValues {
  const values = { ...NEW_TRIGGER_VALUES };
  for (const field of EDITOR_FIELDS) {
    const raw = form[field];
    if (typeof raw === "string") values[field] = raw;
    else if (isBox(field)) values[field] = "false";
  }
  return values;
}

const isBox = (field: EditorField) => ["playEvent", "playProfile", "playTask", "taskInHoldout", "enabled"].includes(field);
const checked = (v: string) => v === "true" || v === "on";
const str = (v: number | undefined) => (v === undefined ? "" : String(v));

export function definitionToValues(def: TriggerDefinition, enabled = def.enabled): EditorValues {
  const c = def.condition as Record<string, unknown>;
  const event = def.plays.find((p) => p.kind === "klaviyo_event");
  const task = def.plays.find((p) => p.kind === "task");
  const [tenure = "*", value = "*"] = def.segments?.length === 1 ? def.segments[0].split(":") : [];
  return {
    ...NEW_TRIGGER_VALUES,
    name: def.name,
    conditionType: def.condition.type,
    ...(typeof c.n === "number" ? { n: str(c.n) } : {}),
    failureClass: typeof c.failureClass === "string" ? c.failureClass : "",
    ...(typeof c.days === "number" ? { days: str(c.days) } : {}),
    ...(typeof c.band === "string" ? { band: c.band } : {}),
    ...(typeof c.points === "number" ? { points: str(c.points) } : {}),
    ...(typeof c.minTenureDays === "number" ? { minTenureDays: str(c.minTenureDays) } : {}),
    ...(typeof c.minUpgrades === "number" ? { minUpgrades: str(c.minUpgrades) } : {}),
    segmentTenure: tenure,
    segmentValue: value,
    cooldownDays: str(def.cooldownDays),
    owner: def.owner,
    priority: def.priority,
    slaHours: str(def.slaHours),
    playEvent: String(Boolean(event)),
    metric: event?.kind === "klaviyo_event" ? event.metric : NEW_TRIGGER_VALUES.metric,
    playProfile: String(def.plays.some((p) => p.kind === "klaviyo_profile")),
    playTask: String(Boolean(task)),
    suggestedAction: task?.kind === "task" ? task.suggestedAction : "",
    taskInHoldout: String(task?.runInHoldout ?? false),
    taskFor: typeof def.taskFor === "string" ? def.taskFor : "min_value",
    taskMinMonthlyValue: typeof def.taskFor === "object" ? str(def.taskFor.minMonthlyValue) : "",
    holdoutPercent: str(def.holdoutPercent),
    outcomeWindowDays: str(def.outcomeWindowDays),
    enabled: String(enabled),
  };
}

/** "" stays missing (the schema says "is required"); anything else not numeric becomes NaN ("must be a number"). */
function num(v: string): number | undefined {
  const t = v.trim();
  return t === "" ? undefined : Number(t);
}

function conditionInput(v: EditorValues): Record<string, unknown> {
  switch (v.conditionType) {
    case "consecutive_skips_at_least":
      return { type: v.conditionType, n: num(v.n) };
    case "payment_failed":
      return { type: v.conditionType, ...(v.failureClass ? { failureClass: v.failureClass } : {}) };
    case "paused_longer_than":
      return { type: v.conditionType, days: num(v.days) };
    case "entered_band":
      return { type: v.conditionType, band: v.band };
    case "score_dropped":
      return { type: v.conditionType, points: num(v.points), withinDays: 7 };
    case "new_before_second_delivery":
      return { type: v.conditionType, minTenureDays: num(v.minTenureDays) };
    case "loyal_with_upgrades":
      return { type: v.conditionType, minTenureDays: num(v.minTenureDays), minUpgrades: num(v.minUpgrades) };
    default:
      return { type: v.conditionType };
  }
}

function playsInput(v: EditorValues): Record<string, unknown>[] {
  const plays: Record<string, unknown>[] = [];
  if (checked(v.playEvent)) plays.push({ kind: "klaviyo_event", metric: v.metric, runInHoldout: false });
  if (checked(v.playProfile)) plays.push({ kind: "klaviyo_profile", runInHoldout: false });
  if (checked(v.playTask)) plays.push({ kind: "task", suggestedAction: v.suggestedAction, runInHoldout: checked(v.taskInHoldout) });
  return plays;
}

/** A single pattern from the two segment choices; both "any" means no filter at all. */
function segmentsInput(v: EditorValues): string[] | undefined {
  const tenure = v.segmentTenure || "*";
  const value = v.segmentValue || "*";
  return tenure === "*" && value === "*" ? undefined : [`${tenure}:${value}`];
}

export type EditorParse =
  | { ok: true; definition: TriggerDefinition }
  | { ok: false; fieldErrors: Partial<Record<EditorField | "form", string>> };

export function parseEditorValues(v: EditorValues, id: string): EditorParse {
  const input = {
    id,
    name: v.name,
    enabled: checked(v.enabled),
    condition: conditionInput(v),
    segments: segmentsInput(v),
    cooldownDays: num(v.cooldownDays),
    owner: v.owner,
    priority: v.priority,
    slaHours: num(v.slaHours),
    plays: playsInput(v),
    taskFor: v.taskFor === "min_value" ? { minMonthlyValue: num(v.taskMinMonthlyValue) } : v.taskFor,
    holdoutPercent: num(v.holdoutPercent),
    outcomeWindowDays: num(v.outcomeWindowDays),
  };
  const result = triggerSchema.safeParse(input);
  if (result.success) return { ok: true, definition: result.data };
  return { ok: false, fieldErrors: fieldErrorsOf(result.error) };
}

/** How the schema's field names read on the form. */
const LABELS: [RegExp, string][] = [
  [/^n \(skips in a row\)/, "Skips in a row"],
  [/^days \(paused longer than\)/, "Days paused"],
  [/^points/, "Points"],
  [/^minTenureDays/, "Days subscribed"],
  [/^minUpgrades/, "Upgrades"],
  [/^cooldownDays/, "Cooldown"],
  [/^slaHours/, "Hours to work a task"],
  [/^holdoutPercent/, "Holdout"],
  [/^outcomeWindowDays/, "Outcome window"],
];

/** Fields whose schema messages say only "Required" when left empty. */
const REQUIRED_LABELS: Partial<Record<EditorField, string>> = {
  name: "Name",
  points: "Points",
  slaHours: "Hours to work a task",
  holdoutPercent: "Holdout",
  band: "Band",
  priority: "Priority",
  owner: "Owner",
};

function fieldOf(path: (string | number)[]): EditorField | "form" {
  const [head, second, third] = path;
  if (head === "condition") {
    if (second === "type") return "conditionType";
    if (second === "withinDays") return "points";
    return (EDITOR_FIELDS as readonly unknown[]).includes(second) ? (second as EditorField) : "conditionType";
  }
  if (head === "segments") return "segmentTenure";
  if (head === "plays") {
    if (third === "metric") return "metric";
    if (third === "suggestedAction") return "suggestedAction";
    return "playEvent";
  }
  if (head === "id") return "name";
  if (head === "taskFor") return "taskMinMonthlyValue";
  return (EDITOR_FIELDS as readonly unknown[]).includes(head) ? (head as EditorField) : "form";
}

function fieldErrorsOf(error: z.ZodError): Partial<Record<EditorField | "form", string>> {
  const errors: Partial<Record<EditorField | "form", string>> = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    let message = issue.message;
    if (message === "Required") message = `${REQUIRED_LABELS[field as EditorField] ?? String(issue.path.at(-1))} is required`;
    for (const [pattern, label] of LABELS) message = message.replace(pattern, label);
    if (field === "playEvent" && issue.path.length === 1) message = "Choose at least one play: a Klaviyo event, profile properties or a task.";
    // Neither "everyone", "high value" nor a valid amount: the amount is what is missing.
    if (issue.code === "invalid_union" && field === "taskMinMonthlyValue") message = "Enter the minimum monthly value, a number above 0.";
    errors[field] ??= message.charAt(0).toUpperCase() + message.slice(1);
  }
  return errors;
}

/**
 * What decides who the trigger fires for, as one stable string: condition, segments and
 * cooldown. A dry run is bound to this; name, owner or plays can change without a new one.
 */
export function firingFingerprint(def: Pick<TriggerDefinition, "condition" | "segments" | "cooldownDays">): string {
  return JSON.stringify({ condition: def.condition, segments: def.segments ?? null, cooldownDays: def.cooldownDays });
}

/** The firing fields as typed, to tell in the browser whether the last preview still applies. */
export function firingFieldsKey(v: EditorValues): string {
  const params = CONDITION_OPTIONS.find((o) => o.value === v.conditionType)?.params ?? [];
  const fields: EditorField[] = ["conditionType", ...params, "segmentTenure", "segmentValue", "cooldownDays"];
  return fields.map((f) => `${f}=${v[f].trim()}`).join("&");
}

export type { Play };
