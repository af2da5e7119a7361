/**
 * One save for the settings page's forms (the save bar): the score's bands and weights,
 * the segments and the weekly digest, whichever changed, in one request. Everything is
 * checked before anything is written: a refused field saves nothing.
 */
import { z } from "zod";
import { saveScoreSettings } from "./score-settings.server";
import { digestSchema, saveDigest } from "./settings.server";
import { saveWeeklyContacts, weeklyContactsSchema } from "./fit.server";

export const FORM_SECTIONS = ["scoring", "segments", "digest", "capacity"] as const;
export type FormSection = (typeof FORM_SECTIONS)[number];

export type SaveFormsResult = { ok: true; message: string } | { ok: false; status: 400; error: string; fieldErrors?: Record<string, string> };

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  return fieldErrors;
}

export function sectionsOf(raw: string | undefined): FormSection[] {
  return (raw ?? "").split(",").filter((s): s is FormSection => (FORM_SECTIONS as readonly string[]).includes(s));
}

export async function saveSettingsForms(shop: string, sections: readonly FormSection[], fields: Record<string, string>, now = new Date()): Promise<SaveFormsResult> {
  if (sections.length === 0) return { ok: false, status: 400, error: "Nothing to save: no setting was changed." };
  const digest = sections.includes("digest") ? digestSchema.safeParse(fields) : null;
  if (digest && !digest.success) {
    const fieldErrors = fieldErrorsOf(digest.error);
    return { ok: false, status: 400, error: `Nothing was saved. ${Object.values(fieldErrors)[0]}`, fieldErrors };
  }
  const capacity = sections.includes("capacity") ? weeklyContactsSchema.safeParse({ weeklyContacts: fields.weeklyContacts ?? "" }) : null;
  if (capacity && !capacity.success) {
    const fieldErrors = fieldErrorsOf(capacity.error);
    return { ok: false, status: 400, error: `Nothing was saved. ${Object.values(fieldErrors)[0]}`, fieldErrors };
  }
  const messages: string[] = [];
  // Bands, weights and segments are one config: saved (and rescored) once.
  if (sections.includes("scoring") || sections.includes("segments")) {
    const score = await saveScoreSettings(shop, fields, now);
    if (!score.ok) return score;
    messages.push(score.message);
  }
  if (digest?.success) {
    const saved = await saveDigest(shop, digest.data);
    messages.push(saved.enabled ? "Weekly digest on." : "Weekly digest off.");
  }
  if (capacity?.success) messages.push(await saveWeeklyContacts(shop, capacity.data.weeklyContacts, now));
  return { ok: true, message: messages.join(" ") };
}
