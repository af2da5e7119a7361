import type { Prisma } from "@prisma/client";
import { DEFAULT_PLAYBOOK } from "../playbook/defaults";
import { isRetiredDefault } from "../playbook/retired-defaults";
import { parseTrigger, type TriggerDefinition } from "../playbook/schema";

type Db = Prisma.TransactionClient;

/**
 * A shop starts with the default playbook. Seeded on first use rather than at install,
 * so shops installed before the playbook existed get it too. Upsert by (shop, key):
 * two rescores racing to seed write each trigger once, and a merchant's edits are never
 * overwritten.
 */
export async function ensurePlaybook(db: Db, shop: string): Promise<void> {
  const existing = await db.trigger.count({ where: { shop } });
  if (existing > 0) return;
  for (const t of DEFAULT_PLAYBOOK) {
    await db.trigger.upsert({
      where: { shop_key: { shop, key: t.id } },
      create: { shop, key: t.id, definition: JSON.stringify(t), enabled: t.enabled },
      update: {},
    });
  }
}

/**
 * Seeded triggers the merchant never edited take the current default: the stored text is
 * replaced only where it is still exactly the retired default (a conditional update, so
 * processes racing here write it once, and an edit made meanwhile is kept).
 */
export async function upgradeUneditedDefaults(db: Db, shop: string): Promise<number> {
  const rows = await db.trigger.findMany({ where: { shop, key: { in: DEFAULT_PLAYBOOK.map((t) => t.id) } }, select: { key: true, definition: true } });
  let upgraded = 0;
  for (const row of rows) {
    if (!isRetiredDefault(row.definition)) continue;
    const current = DEFAULT_PLAYBOOK.find((t) => t.id === row.key)!;
    const { count } = await db.trigger.updateMany({ where: { shop, key: row.key, definition: row.definition }, data: { definition: JSON.stringify(current) } });
    upgraded += count;
  }
  return upgraded;
}

/**
 * The shop's live triggers (retired ones excluded), each validated again on the way
 * out: a stored definition that no longer parses is left out, with a warning, rather
 * than stopping every other trigger from running.
 */
export async function loadTriggers(db: Db, shop: string): Promise<TriggerDefinition[]> {
  const rows = await db.trigger.findMany({ where: { shop, retiredAt: null }, orderBy: { key: "asc" } });
  const triggers: TriggerDefinition[] = [];
  for (const row of rows) {
    const parsed = parseStored(row.definition);
    if (!parsed.ok) {
      console.warn(`[lifeline] trigger ${row.key} of ${shop} is invalid and was skipped: ${parsed.errors.join("; ")}`);
      continue;
    }
    // The row's key is what firings are recorded under; the column switch wins over the JSON.
    triggers.push({ ...parsed.value, id: row.key, enabled: row.enabled && parsed.value.enabled });
  }
  return triggers;
}

/** The shop's triggers by key, retired ones included (reports still name them). */
export async function triggersByKey(db: Db, shop: string): Promise<Map<string, TriggerDefinition>> {
  const rows = await db.trigger.findMany({ where: { shop } });
  const map = new Map<string, TriggerDefinition>();
  for (const row of rows) {
    const parsed = parseStored(row.definition);
    if (parsed.ok) map.set(row.key, { ...parsed.value, id: row.key });
  }
  return map;
}

/**
 * Parsed definitions by their stored text. Validation is a pure function of the text, so
 * a kept result can never disagree with the row: an edited trigger has new text. Every
 * rescore pass reads the playbook, and validating it each time was most of that read.
 */
const parsedByText = new Map<string, ReturnType<typeof parseTrigger>>();
const PARSED_LIMIT = 5000;

function parseStored(text: string): ReturnType<typeof parseTrigger> {
  let parsed = parsedByText.get(text);
  if (!parsed) {
    // Frozen: every caller shares the kept value, so none may change it.
    parsed = deepFreeze(parseTrigger(safeJson(text)));
    if (parsedByText.size >= PARSED_LIMIT) parsedByText.clear();
    parsedByText.set(text, parsed);
  }
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
