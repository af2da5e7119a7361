/**
 * A source's status line in words, from its figures: the settings card and the onboarding
 * checklist say the same thing the same way. Pure, and safe for the browser bundle.
 */
import { formatCount, formatDateTime } from "../shared/format";
import type { SourceConnectionView, SourceStatusView } from "./sources-options";

export interface StatusPart {
  text: string;
  tone?: "critical" | "caution" | "success";
}

// Numbers an import keeps for itself (where it is), not what it has read.
const BOOKKEEPING = /^(page|pages|pageSize|limit|offset|cursor|attempts?|retryAfter|version|stage)$/i;

/** "paymentMethods" or "payment_methods" -> "payment methods"; one "subscriptions" -> "subscription". */
function noun(key: string, n: number): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
    .trim();
  return n === 1 && words.endsWith("s") ? words.slice(0, -1) : words;
}

/**
 * What an import has read so far, from its saved progress: each count, under `counts` when the
 * source keeps them there, else at the top level, leaving out zeros. "4,000 subscriptions, 12,500 charges"; null when none.
 */
export function importedCounts(progress: Record<string, unknown>): string | null {
  const counts = progress.counts && typeof progress.counts === "object" ? (progress.counts as Record<string, unknown>) : progress;
  const parts = Object.entries(counts)
    .filter(([key, n]) => typeof n === "number" && Number.isFinite(n) && n !== 0 && !BOOKKEEPING.test(key))
    .map(([key, n]) => `${formatCount(n as number)} ${noun(key, n as number)}`);
  return parts.length > 0 ? parts.join(", ") : null;
}

/** The history import in one sentence. */
export function importSentence(c: SourceConnectionView, vendor: string): StatusPart {
  const counts = importedCounts(c.backfillProgress);
  switch (c.backfillStatus) {
    case "done":
      return { text: counts ? `Imported ${counts}.` : `Import from ${vendor} done.`, tone: "success" };
    case "running":
      // The job's last word may be a retry after an error or only where a slice stopped: said as it was.
      return { text: `${counts ? `Importing from ${vendor}: ${counts} so far.` : `Importing from ${vendor}.`}${c.backfillError ? ` Last run: ${c.backfillError}` : ""}` };
    case "failed":
      return { text: `The import stopped${counts ? ` after ${counts}` : ""}: ${c.backfillError ?? "unknown error"}. New events still arrive as they happen.`, tone: "critical" };
    default:
      return { text: `The import from ${vendor} starts in a moment.` };
  }
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The status line: last event, failed and waiting deliveries, the import, webhooks, the last error. */
export function statusParts(status: SourceStatusView, vendor: string, timeZone: string, options: { imports: boolean }): StatusPart[] {
  const parts: StatusPart[] = [];
  parts.push({ text: status.lastEventAt ? `Last event received ${formatDateTime(status.lastEventAt, timeZone)}.` : "No events received yet." });
  if (status.failed > 0) parts.push({ text: `${plural(status.failed, "delivery", "deliveries")} failed: replay them from Failed deliveries on the home page.`, tone: "critical" });
  if (status.waiting > 0) parts.push({ text: `${plural(status.waiting, "delivery", "deliveries")} waiting to be processed.`, tone: "caution" });
  const c = status.connection;
  if (c?.connected) {
    if (options.imports) parts.push(importSentence(c, vendor));
    if (c.webhooksRegistered > 0) parts.push({ text: `${plural(c.webhooksRegistered, "webhook", "webhooks")} registered at ${vendor}.` });
    if (c.lastError) parts.push({ text: `Last error${c.lastErrorAt ? ` (${formatDateTime(c.lastErrorAt, timeZone)})` : ""}: ${c.lastError}`, tone: "critical" });
  }
  return parts;
}
