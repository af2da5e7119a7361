/**
 * The task inbox's form: contacted, assign, snooze until a day, close with a reason, or
 * close several at once. Checks the form, calls one change in tasks.server.ts, and answers
 * with what the page shows (a toast, a field's error).
 */
import { z } from "zod";
import { CLOSE_REASONS } from "../../playbook/tasks";
import { assignTask, closeTask, closeTasks, markContacted } from "../../models/tasks.server";
import type { ActionData } from "../shared/action-data";
import { closeReasonLabel } from "../shared/close-reasons";
import { snoozeTaskUntilDay } from "./task-inbox.server";

const taskId = z.string({ required_error: "Choose a task." }).min(1, "Choose a task.");
const reason = z.enum(CLOSE_REASONS, { errorMap: () => ({ message: "Choose why you are closing this task." }) });
const note = z.string().trim().max(2000, "Keep the note under 2,000 characters.").optional();
const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("contacted"), taskId }),
  z.object({
    intent: z.literal("assign"),
    taskId,
    owner: z.string({ required_error: "Name who owns this task." }).trim().min(1, "Name who owns this task.").max(120, "Keep the name under 120 characters."),
  }),
  z.object({
    intent: z.literal("snooze"),
    taskId,
    until: z.string({ required_error: "Choose the day to snooze until." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Choose the day to snooze until."),
  }),
  z.object({ intent: z.literal("close"), taskId, reason, note }),
  z.object({
    intent: z.literal("close_many"),
    // Comma-separated ids: the selected rows of one page.
    taskIds: z
      .string({ required_error: "Select the tasks to close." })
      .transform((v) => v.split(",").filter(Boolean))
      .pipe(z.array(z.string()).min(1, "Select the tasks to close.").max(250, "Close up to 250 tasks at once.")),
    reason,
    note,
  }),
]);

const count = (n: number) => (n === 1 ? "1 task" : `${n.toLocaleString("en-US")} tasks`);

export async function taskAction(shop: string, formData: FormData, now = new Date()): Promise<{ status: number; body: ActionData }> {
  const form = Object.fromEntries(formData);
  const parsed = formSchema.safeParse(form);
  const at = now.getTime();
  const asked = typeof form.taskId === "string" ? form.taskId : undefined;
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    const error = fieldErrors.intent ? "Choose what to do: assign, snooze, contacted or close." : Object.values(fieldErrors)[0];
    return { status: 400, body: { ok: false, taskId: asked, intent: String(form.intent ?? ""), error, fieldErrors, at } };
  }
  const input = parsed.data;
  if (input.intent === "close_many") {
    const result = await closeTasks(shop, input.taskIds, { reason: input.reason, note: input.note || undefined }, now);
    if (!result.ok) return { status: result.status, body: { ok: false, intent: input.intent, error: result.error, at } };
    return { status: 200, body: { ok: true, intent: input.intent, message: `${count(result.closed)} closed: ${closeReasonLabel(input.reason)}`, at } };
  }
  const result =
    input.intent === "contacted"
      ? await markContacted(shop, input.taskId, now)
      : input.intent === "assign"
        ? await assignTask(shop, input.taskId, input.owner)
        : input.intent === "snooze"
          ? await snoozeTaskUntilDay(shop, input.taskId, input.until, now)
          : await closeTask(shop, input.taskId, { reason: input.reason, note: input.note || undefined }, now);
  const base = { taskId: input.taskId, intent: input.intent, at };
  if (!result.ok) return { status: result.status, body: { ...base, ok: false, error: result.error } };
  const message =
    input.intent === "contacted"
      ? "Marked as contacted"
      : input.intent === "assign"
        ? `Assigned to ${result.task.owner}`
        : input.intent === "snooze"
          ? `Snoozed until ${input.until}`
          : `Task closed: ${closeReasonLabel(input.reason)}`;
  return { status: 200, body: { ...base, ok: true, message } };
}
