/**
 * Seal's connector: the credentials checked against its API, webhooks set up by the
 * merchant (Seal's API can create webhooks, but the request and answer are not in the
 * readable part of its documentation, so Lifeline does not guess them), and the history
 * imported from its subscriptions list a page at a time.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { PermanentError, RetryLaterError } from "../../queue/errors";
import type { BackfillRun, Connector, ConnectorContext, TestResult } from "../definition";
import { SourcePayloadError, type SourceRecord } from "../types";
import { SEAL_PAGE_SIZE, fetchSubscriptionsPage, type SealPageResult } from "./api.server";
import { SEAL_TOPICS, sealRecord } from "./records";
import { sealHmacMatches } from "./verify";

/**
 * Seal documents no rate limit. One page every half second (two requests a second, each
 * with 50 subscriptions) keeps well inside what its own clients do (one reads eight pages
 * at once); a 429 waits as long as Seal asks.
 */
export const SEAL_PAGE_INTERVAL_MS = 500;

const WHERE = "Seal Subscriptions → Settings → General Settings → API";

export const sealConnector: Connector = {
  testConnection,
  manualSetup:
    `Seal has no documented way for Lifeline to add its webhooks, so add them in Seal: create one webhook for each of the topics ` +
    `${SEAL_TOPICS.join(", ")}, all pointing at the address shown here. Seal signs them with your API secret (${WHERE}), ` +
    `which is how Lifeline knows they are yours.`,
  backfill,
};

async function testConnection(ctx: ConnectorContext): Promise<TestResult> {
  const page = await fetchSubscriptionsPage(ctx.credentials.apiToken ?? "", 1);
  if (!page.ok) {
    if (page.kind === "refused") return { ok: false, message: `Seal did not accept that API token. Copy it again from ${WHERE}. (${page.message})` };
    return { ok: false, message: `Could not reach Seal just now; try again in a minute. (${page.message})` };
  }
  // Seal signs its API answers with the same secret as its webhooks: this checks the secret too.
  if (page.hmac && !sealHmacMatches(page.rawBody, ctx.credentials.apiSecret ?? "", page.hmac)) {
    return { ok: false, message: `The API token works, but the API secret does not match it. Copy both from ${WHERE}.` };
  }
  const checked = page.hmac ? "The API token and secret work" : "The API token works (the secret is checked on the first webhook)";
  return { ok: true, message: `${checked}: Seal shows ${describeCount(page)}.` };
}

function describeCount(page: Extract<SealPageResult, { ok: true }>): string {
  if (page.subscriptions.length === 0) return "no subscriptions yet";
  if (page.totalPages && page.totalPages > 1) return `${(page.totalPages - 1) * SEAL_PAGE_SIZE + 1} to ${page.totalPages * SEAL_PAGE_SIZE} subscriptions`;
  return `${page.subscriptions.length} subscription${page.subscriptions.length === 1 ? "" : "s"}`;
}

/**
 * Every subscription, page 1 onwards, each page's records saved with the next page to
 * read: a run that fails mid-way (a 5xx, a 429, a killed worker) resumes at the page it
 * had not saved. Pages end at a short or empty one (or at total_pages). A page read twice
 * adds nothing: the records' keys are the subscriptions' own. A listed body is dated by its
 * own times; the page's read time stands in only where it has none (see records.ts).
 */
async function backfill(run: BackfillRun): Promise<void> {
  let page = wholeNumber(run.progress.page) ?? 1;
  let imported = wholeNumber(run.progress.imported) ?? 0;
  let skipped = wholeNumber(run.progress.skipped) ?? 0;
  for (let first = true; ; first = false) {
    if (!first) await sleep(SEAL_PAGE_INTERVAL_MS);
    const result = await fetchSubscriptionsPage(run.credentials.apiToken ?? "", page);
    if (!result.ok) throw failureOf(result, page);
    const records: SourceRecord[] = [];
    for (const body of result.subscriptions) {
      const record = importable(body, run.now);
      if (record) records.push(record);
      else skipped++;
    }
    imported += records.length;
    const last = result.subscriptions.length < SEAL_PAGE_SIZE || (result.totalPages !== null && page >= result.totalPages);
    await run.savePage(records, { page: page + 1, imported, skipped, ...(last ? { finishedPage: page } : {}) });
    if (last) return;
    page++;
  }
}

/** A listed subscription as a record, or null when it cannot be one (kept out, counted as skipped). */
function importable(body: unknown, at: Date): SourceRecord | null {
  try {
    const record = sealRecord(null, body, at);
    const who = record.customer;
    return who.shopifyCustomerId || who.email ? record : null;
  } catch (error) {
    if (error instanceof SourcePayloadError) return null;
    throw error;
  }
}

function failureOf(result: Extract<SealPageResult, { ok: false }>, page: number): Error {
  const message = `Seal subscriptions page ${page}: ${result.message}`;
  if (result.kind === "throttled") return new RetryLaterError(result.retryAfterMs ?? 30_000, message, { countsAsAttempt: false });
  if (result.kind === "refused" || result.kind === "unreadable") return new PermanentError(message);
  return new Error(message);
}

const wholeNumber = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);
