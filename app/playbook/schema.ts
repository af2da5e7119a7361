/**
 * Triggers are data: stored as JSON per shop, edited in the admin, shipped as a
 * default playbook. Everything that enters the engine goes through these schemas so
 * a bad definition is rejected with a message a merchant can act on, instead of
 * silently never firing.
 */
import { z } from "zod";

const FAILURE_CLASSES = ["soft_decline", "hard_decline", "inventory", "other"] as const;
const BANDS = ["healthy", "watch", "at_risk", "critical"] as const;
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

const wholeAtLeast = (min: number, what: string) =>
  z
    .number({ invalid_type_error: `${what} must be a number`, required_error: `${what} is required` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`);

export const conditionSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("consecutive_skips_at_least"), n: wholeAtLeast(1, "n (skips in a row)") }),
    z.object({ type: z.literal("payment_failed"), failureClass: z.enum(FAILURE_CLASSES).optional() }),
    z.object({ type: z.literal("card_expires_before_next_billing") }),
    z.object({ type: z.literal("service_ticket_in_first_cycle") }),
    z.object({ type: z.literal("contract_cancelled") }),
    z.object({ type: z.literal("paused_longer_than"), days: wholeAtLeast(1, "days (paused longer than)") }),
    z.object({ type: z.literal("entered_band"), band: z.enum(BANDS) }),
    z.object({
      type: z.literal("score_dropped"),
      points: z.number({ invalid_type_error: "points must be a number" }).positive("points must be above 0"),
      // The snapshot carries the score of exactly 7 days ago, so no other window can be honoured.
      withinDays: z.literal(7, { errorMap: () => ({ message: "withinDays must be 7" }) }).default(7),
    }),
    z.object({
      type: z.literal("new_before_second_delivery"),
      /** Wait this long after sign-up so the first box has arrived before checking in. */
      minTenureDays: wholeAtLeast(0, "minTenureDays").default(0),
    }),
    z.object({
      type: z.literal("loyal_with_upgrades"),
      minTenureDays: wholeAtLeast(0, "minTenureDays"),
      minUpgrades: wholeAtLeast(1, "minUpgrades"),
    }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: `unknown condition type; expected one of: ${issue.options.join(", ")}` }
        : { message: ctx.defaultError },
  },
);
export type TriggerCondition = z.infer<typeof conditionSchema>;
export type ConditionType = TriggerCondition["type"];

/** Holdout subscribers still get plays marked runInHoldout (e.g. capturing a cancel reason). */
const runInHoldout = z.boolean().default(false);

export const playSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("klaviyo_event"),
      metric: z.string().trim().min(1, "metric name is required").max(128, "metric name is at most 128 characters"),
      runInHoldout,
    }),
    z.object({ kind: z.literal("klaviyo_profile"), runInHoldout }),
    z.object({
      kind: z.literal("task"),
      suggestedAction: z.string().trim().min(1, "a task needs a suggested action").max(500),
      runInHoldout,
    }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: `unknown play kind; expected one of: ${issue.options.join(", ")}` }
        : { message: ctx.defaultError },
  },
);
export type Play = z.infer<typeof playSchema>;
export type PlayInput = z.input<typeof playSchema>;

/** Segment keys look like "new:high"; "*" matches any run of characters ("new:*", "*:high", "*"). */
const segmentPattern = z
  .string()
  .trim()
  .regex(/^[a-z0-9_*]+(:[a-z0-9_*]+)*$/i, "segment must look like \"new:high\" or \"new:*\"");

/**
 * Whom a task play opens a task for: everyone the trigger fires on, subscribers in the
 * high-value segment (the shop's segment settings), or those worth at least a monthly
 * amount (the shop's currency). Klaviyo plays go to everyone either way.
 */
export const taskForSchema = z
  .union([
    z.literal("everyone"),
    z.literal("high_value"),
    z
      .object({
        minMonthlyValue: z
          .number({ invalid_type_error: "the minimum monthly value must be a number", required_error: "the minimum monthly value is required" })
          .positive("the minimum monthly value must be above 0")
          .max(1_000_000, "the minimum monthly value must be at most 1,000,000"),
      })
      .strict(),
  ])
  .default("everyone");
export type TaskFor = z.infer<typeof taskForSchema>;

export const triggerSchema = z
  .object({
    id: z
      .string({ required_error: "id is required" })
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "id must be 1-64 lower-case letters, digits, '-' or '_'"),
    name: z.string({ required_error: "name is required" }).trim().min(1, "name is required").max(120),
    enabled: z.boolean().default(true),
    condition: conditionSchema,
    /** Omitted: every segment. */
    segments: z.array(segmentPattern).min(1, "segments, when given, must list at least one segment").optional(),
    cooldownDays: wholeAtLeast(0, "cooldownDays").max(365, "cooldownDays must be at most 365"),
    owner: z.string().trim().min(1, "owner is required").max(120).default("Store owner"),
    priority: z.enum(PRIORITIES, {
      errorMap: () => ({ message: `priority must be one of: ${PRIORITIES.join(", ")}` }),
    }),
    slaHours: z
      .number({ invalid_type_error: "slaHours must be a number" })
      .positive("slaHours must be above 0")
      .max(24 * 30, "slaHours must be at most 720 (30 days)"),
    plays: z.array(playSchema).min(1, "a trigger needs at least one play"),
    taskFor: taskForSchema,
    holdoutPercent: z
      .number({ invalid_type_error: "holdoutPercent must be a number" })
      .min(0, "holdoutPercent must be between 0 and 50")
      .max(50, "holdoutPercent must be between 0 and 50")
      .default(0),
    outcomeWindowDays: wholeAtLeast(1, "outcomeWindowDays").max(365, "outcomeWindowDays must be at most 365"),
  })
  .strict();

export type TriggerDefinition = z.infer<typeof triggerSchema>;
/** What a caller may write: defaults (enabled, owner, holdoutPercent, runInHoldout, taskFor) may be left out. */
export type TriggerInput = z.input<typeof triggerSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Turns zod issues into "plays.0.metric: metric name is required" lines. */
export function formatIssues(error: z.ZodError, prefix = ""): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
    let message = issue.message;
    // zod's bare "Required" / "Expected object, received null" says nothing about which field.
    if (issue.code === "invalid_type" && issue.received === "undefined") {
      message = `${String(issue.path.at(-1) ?? "value")} is required`;
    } else if (issue.code === "invalid_type" && issue.path.length === 0) {
      message = `a trigger must be an object, not ${issue.received}`;
    }
    return path ? `${path}: ${message}` : message;
  });
}

export function parseTrigger(input: unknown): ParseResult<TriggerDefinition> {
  const result = triggerSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: formatIssues(result.error) };
}

/** A whole playbook: each trigger valid and ids unique (firing history is keyed by id). */
export function parsePlaybook(input: unknown): ParseResult<TriggerDefinition[]> {
  if (!Array.isArray(input)) return { ok: false, errors: ["a playbook must be a list of triggers"] };
  const errors: string[] = [];
  const triggers: TriggerDefinition[] = [];
  const seen = new Set<string>();
  input.forEach((raw, i) => {
    const result = triggerSchema.safeParse(raw);
    if (!result.success) {
      errors.push(...formatIssues(result.error, `triggers.${i}`));
      return;
    }
    if (seen.has(result.data.id)) errors.push(`triggers.${i}.id: duplicate trigger id "${result.data.id}"`);
    seen.add(result.data.id);
    triggers.push(result.data);
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: triggers };
}
