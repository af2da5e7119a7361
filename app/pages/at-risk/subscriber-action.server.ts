/**
 * The form both the at-risk list and the subscriber page post to act on a subscriber:
 * contacted, snooze, dismiss with a reason, or undo a dismissal or snooze. Checks the form,
 * calls one action, and answers with what the page shows (a toast, a field's error).
 */
import { z } from "zod";
import { CLOSE_REASONS } from "../../playbook/tasks";
import type { ActionData } from "../shared/action-data";
import { dismissSubscriber, markSubscriberContacted, snoozeSubscriber, undoSubscriberAction } from "./row-actions.server";

const subscriberId = z.string({ required_error: "Choose a subscriber." }).min(1, "Choose a subscriber.");
const undoSchema = z.object({
  kind: z.enum(["dismiss", "snooze"]),
  taskIds: z.array(z.string().min(1)).min(1).max(50),
  createdTaskId: z.string().min(1).nullable(),
});
const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("contacted"), subscriberId }),
  z.object({ intent: z.literal("snooze"), subscriberId }),
  z.object({
    intent: z.literal("dismiss"),
    subscriberId,
    reason: z.enum(CLOSE_REASONS, { errorMap: () => ({ message: "Choose why you are taking them off the list." }) }),
    note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
  }),
  z.object({
    intent: z.literal("undo"),
    subscriberId,
    undo: z
      .string()
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "Nothing to undo." });
          return z.NEVER;
        }
      })
      .pipe(undoSchema),
  }),
]);

export async function subscriberAction(shop: string, formData: FormData, now = new Date()): Promise<{ status: number; body: ActionData }> {
  const form = Object.fromEntries(formData);
  const parsed = formSchema.safeParse(form);
  const at = now.getTime();
  const asked = typeof form.subscriberId === "string" ? form.subscriberId : undefined;
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    const error = fieldErrors.intent ? "Choose what to do: contacted, snooze or dismiss." : Object.values(fieldErrors)[0];
    return { status: 400, body: { ok: false, subscriberId: asked, intent: String(form.intent ?? ""), error, fieldErrors, at } };
  }
  const input = parsed.data;
  const result =
    input.intent === "contacted"
      ? await markSubscriberContacted(shop, input.subscriberId, now)
      : input.intent === "snooze"
        ? await snoozeSubscriber(shop, input.subscriberId, now)
        : input.intent === "dismiss"
          ? await dismissSubscriber(shop, input.subscriberId, { reason: input.reason, note: input.note || null }, now)
          : await undoSubscriberAction(shop, input.subscriberId, input.undo);
  const base = { subscriberId: input.subscriberId, intent: input.intent, at };
  if (!result.ok) return { status: result.status, body: { ...base, ok: false, error: result.error } };
  return { status: 200, body: { ...base, ok: true, message: result.message, undo: result.undo } };
}
