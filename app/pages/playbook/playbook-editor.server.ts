/**
 * The trigger editor: load one trigger, preview it over the last 90 days, save it,
 * delete a custom one. Everything is scoped by shop: another shop's key is "not found".
 *
 * A new trigger, or a change to who a trigger fires for (condition, segment, cooldown),
 * is saved only after a dry run of that same definition. The dry run hands back a token,
 * an HMAC of shop and definition under the app's secret, which the save must carry:
 * a save from a stale page, a script or a tampered form cannot skip the preview.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { Prisma } from "@prisma/client";
import prisma from "../../db.server";
import { config } from "../../config.server";
import { DEFAULT_PLAYBOOK } from "../../playbook/defaults";
import { dryRunTrigger } from "../../playbook/dry-run.server";
import {
  definitionToValues,
  firingFingerprint,
  NEW_TRIGGER_VALUES,
  parseEditorValues,
  type EditorField,
  type EditorValues,
} from "../../playbook/editor-form";
import { parseTrigger, type TriggerDefinition } from "../../playbook/schema";
import { displayName } from "../shared/subscriber-row";
import { ensurePlaybook } from "../../models/triggers.server";

const DEFAULT_KEYS: ReadonlySet<string> = new Set(DEFAULT_PLAYBOOK.map((t) => t.id));
export const NEW_KEY = "new";
const WINDOW_DAYS = 90;
const LISTED_SUBSCRIBERS = 20;

export interface EditorTrigger {
  key: string;
  isNew: boolean;
  isDefault: boolean;
  values: EditorValues;
  /** Why the stored definition is invalid, when it is; the form then starts from what could be read. */
  storedErrors: string[] | null;
}

type Stored = { id: string; key: string; definition: TriggerDefinition | null; errors: string[] | null; enabled: boolean };

async function findStored(shop: string, key: string): Promise<Stored | null> {
  const row = await prisma.trigger.findFirst({ where: { shop, key, retiredAt: null } });
  if (!row) return null;
  const parsed = parseTrigger(safeJson(row.definition));
  return parsed.ok
    ? { id: row.id, key, definition: { ...parsed.value, id: key }, errors: null, enabled: row.enabled && parsed.value.enabled }
    : { id: row.id, key, definition: null, errors: parsed.errors, enabled: row.enabled };
}

/** The editor's starting point; null when the shop has no such trigger. */
export async function triggerForEdit(shop: string, key: string): Promise<EditorTrigger | null> {
  if (key === NEW_KEY) return { key, isNew: true, isDefault: false, values: { ...NEW_TRIGGER_VALUES }, storedErrors: null };
  await ensurePlaybook(prisma, shop);
  const stored = await findStored(shop, key);
  if (!stored) return null;
  const values = stored.definition ? definitionToValues(stored.definition, stored.enabled) : { ...NEW_TRIGGER_VALUES, name: key };
  return { key, isNew: false, isDefault: DEFAULT_KEYS.has(key), values, storedErrors: stored.errors };
}

export type FieldErrors = Partial<Record<EditorField | "form", string>>;

export interface DryRunPreview {
  windowDays: number;
  totalFirings: number;
  subscribersAffected: number;
  perWeek: { weekStart: string; count: number }[];
  suppressed: { segment: number; cooldown: number };
  /** Subscribers replayed (those with history in the window that could set it off), of all the shop's. */
  checked: { replayed: number; of: number };
  subscribers: { id: string; name: string; email: string | null; status: string }[];
  /** Send back with the save: proves this exact definition was previewed. */
  token: string;
}

export type PreviewResult =
  | { ok: true; preview: DryRunPreview }
  | { ok: false; status: number; error: string; fieldErrors?: FieldErrors };

/** "What would it have done over the last 90 days?" for the definition as typed. */
export async function previewTrigger(shop: string, key: string, values: EditorValues, now: Date): Promise<PreviewResult> {
  if (key !== NEW_KEY && !(await findStored(shop, key))) return notFound();
  const parsed = parseEditorValues(values, key === NEW_KEY ? "preview" : key);
  if (!parsed.ok) return invalid(parsed.fieldErrors, "Some fields need fixing (marked below) before the preview can run.");
  const run = await dryRunTrigger(shop, parsed.definition, now, { windowDays: WINDOW_DAYS, maxSubscriberIds: LISTED_SUBSCRIBERS });
  if (!run.ok) return { ok: false, status: 400, error: run.errors.join("; ") };
  const r = run.result;
  const found = await prisma.subscriber.findMany({
    where: { shop, id: { in: r.subscriberIds } },
    select: { id: true, displayName: true, firstName: true, lastName: true, email: true, status: true, redactedAt: true },
  });
  const byId = new Map(found.map((s) => [s.id, s]));
  const subscribers = r.subscriberIds.flatMap((id) => {
    const s = byId.get(id);
    return s ? [{ id, name: displayName(s), email: s.redactedAt ? null : s.email, status: s.status }] : [];
  });
  return {
    ok: true,
    preview: {
      windowDays: WINDOW_DAYS,
      totalFirings: r.totalFirings,
      subscribersAffected: r.subscribersAffected,
      perWeek: r.perWeek,
      suppressed: r.suppressed,
      checked: run.checked,
      subscribers,
      token: dryRunToken(shop, firingFingerprint(parsed.definition)),
    },
  };
}

export type SaveResult =
  | { ok: true; key: string; message: string }
  | { ok: false; status: number; error: string; fieldErrors?: FieldErrors; needsDryRun?: boolean };

/**
 * Writes the trigger. Invalid input saves nothing and says which fields to fix. A new
 * trigger gets a key from its name, never reused (firing history is kept by key).
 */
export async function saveTrigger(shop: string, key: string, values: EditorValues, token: string | null): Promise<SaveResult> {
  const stored = key === NEW_KEY ? null : await findStored(shop, key);
  if (key !== NEW_KEY && !stored) return notFound();
  const parsed = parseEditorValues(values, stored?.key ?? "draft");
  if (!parsed.ok) return invalid(parsed.fieldErrors, "Some fields need fixing (marked below); nothing was saved.");
  const definition = parsed.definition;

  const fingerprint = firingFingerprint(definition);
  const unchanged = stored?.definition != null && firingFingerprint(stored.definition) === fingerprint;
  if (!unchanged && !tokenMatches(token, dryRunToken(shop, fingerprint))) {
    return {
      ok: false,
      status: 409,
      needsDryRun: true,
      error: stored
        ? "The condition, segment or cooldown changed: run the preview (dry run) of this version before saving."
        : "Run the preview (dry run) of this trigger before saving it.",
    };
  }

  if (stored) {
    await prisma.trigger.update({
      where: { id: stored.id },
      data: { definition: JSON.stringify(definition), enabled: definition.enabled },
    });
    return { ok: true, key: stored.key, message: `${definition.name}: saved` };
  }
  const created = await createWithFreshKey(shop, definition);
  return { ok: true, key: created, message: `${definition.name}: created${definition.enabled ? " and on" : " (off)"}` };
}

export type DeleteResult = { ok: true; message: string } | { ok: false; status: number; error: string };

/**
 * Custom triggers are retired rather than erased: their firings stay measured and the
 * reports still name them. Default triggers can only be switched off.
 */
export async function deleteTrigger(shop: string, key: string, now: Date): Promise<DeleteResult> {
  const stored = key === NEW_KEY ? null : await findStored(shop, key);
  if (!stored) return notFound();
  if (DEFAULT_KEYS.has(key)) {
    return { ok: false, status: 400, error: "Default triggers cannot be deleted; switch it off instead." };
  }
  await prisma.trigger.update({ where: { id: stored.id }, data: { retiredAt: now, enabled: false } });
  return { ok: true, message: `${stored.definition?.name ?? key}: deleted` };
}

function dryRunToken(shop: string, fingerprint: string): string {
  return createHmac("sha256", config().SHOPIFY_API_SECRET).update(`playbook-dry-run\n${shop}\n${fingerprint}`).digest("base64url");
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "Win back big spenders" becomes "win-back-big-spenders"; "-2", "-3"... when taken, retired keys included. */
async function createWithFreshKey(shop: string, definition: TriggerDefinition): Promise<string> {
  const base = slug(definition.name);
  const taken = new Set(
    (await prisma.trigger.findMany({ where: { shop, key: { startsWith: base } }, select: { key: true } })).map((r) => r.key),
  );
  for (let n = 1; ; n++) {
    const key = n === 1 ? base : `${base.slice(0, 60)}-${n}`;
    if (taken.has(key)) continue;
    try {
      await prisma.trigger.create({ data: { shop, key, definition: JSON.stringify({ ...definition, id: key }), enabled: definition.enabled } });
      return key;
    } catch (error) {
      // Someone saved a trigger with the same name at the same moment: take the next key.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && n < 50) continue;
      throw error;
    }
  }
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 56);
  // "new" is the editor's address for a trigger not yet saved.
  return s === "" ? "trigger" : s === NEW_KEY ? "new-trigger" : s;
}

const notFound = () => ({ ok: false as const, status: 404, error: "That trigger does not exist." });
const invalid = (fieldErrors: FieldErrors, error: string) => ({ ok: false as const, status: 400, error, fieldErrors });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
