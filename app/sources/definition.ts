/**
 * What a source folder exports (app/sources/<id>/index.server.ts): how its deliveries
 * are verified and named, and how its payloads become records. The optional `connector`
 * is the part that talks to the vendor's API (test, webhook registration, history import).
 */
import type { SourceRecord } from "./types";

export type HeaderGetter = (name: string) => string | null | undefined;

export interface VerifyInput {
  rawBody: Buffer;
  header: HeaderGetter;
  /** The address the delivery was posted to, for sources that name the topic there (Recharge registers one address per topic). */
  url?: string;
  /** The shop's stored credentials for this source (empty for sources signed with the app's secret). */
  credentials: Record<string, string>;
  /** The app's client secret (SHOPIFY_API_SECRET): Shopify Flow signs with it. */
  appSecret: string;
  now: Date;
}

export type SourceVerification =
  | {
      ok: true;
      /** The vendor's topic, as this source names its topics (e.g. "subscription/cancelled"). */
      topic: string;
      /** Unique per delivery and equal on a redelivery: the vendor's event id, or the object's id and version. */
      deliveryKey: string;
      /** When it happened at the vendor, when the delivery says. */
      triggeredAt: Date | null;
      /** The shop the delivery names, for sources whose address does not (Flow). */
      shop?: string;
    }
  | { ok: false; status: 400 | 401; reason: string };

export interface CredentialField {
  key: string;
  label: string;
  helpText: string;
}

export interface ConnectorContext {
  shop: string;
  credentials: Record<string, string>;
  /** Where the vendor should send this shop's webhooks. */
  webhookAddress: string;
  now: Date;
}

export interface TestResult {
  ok: boolean;
  /** Said to the merchant: what was checked, or what is wrong and how to fix it. */
  message: string;
}

/** One run of a history import: where the last run stopped, and how a page is kept. */
export interface BackfillRun {
  shop: string;
  credentials: Record<string, string>;
  now: Date;
  /** When this shop's webhooks began: the import leaves what happened since to them. */
  webhooksSince: Date;
  /** Saved after each page: the stage, its cursor, counts so far. Empty on the first run. */
  progress: Record<string, unknown>;
  /** Writes a page's records, then the progress after it. Records are idempotent, so a page read twice adds nothing. */
  savePage(records: SourceRecord[], progress: Record<string, unknown>): Promise<void>;
}

/** Where records come from: a vendor's delivery, or the history import. */
export type RecordOrigin = "delivery" | "import";

/**
 * A later read of the vendor's API that a record asks for (a customer's card, which the
 * payload does not carry). Queued on "source" in the records' transaction, keyed
 * `source-<kind>:<shop>:<source>:<subject>`, so one customer has one such job.
 */
export interface EnrichmentRequest {
  kind: string;
  /** What it is about, in the vendor's ids (a customer id). */
  subject: string;
  /** Handed to `enrich` with `kind`. */
  payload: Record<string, unknown>;
  /** Queue it again even if it ran before (the record is news the last read predates); else only once. */
  again: boolean;
  /** How long it may wait before running: a read no news asked for yields to those that did. Default 0. */
  delayMs?: number;
}

export interface Connector {
  testConnection(ctx: ConnectorContext): Promise<TestResult>;
  /** Registers this shop's webhooks at the vendor; returns the vendor's webhook ids. Absent: set up by hand. */
  registerWebhooks?(ctx: ConnectorContext): Promise<string[]>;
  removeWebhooks?(ctx: ConnectorContext, ids: string[]): Promise<void>;
  /** What the merchant does at the vendor when webhooks cannot be registered through its API. */
  manualSetup?: string;
  /** Imports existing subscriptions and their past billing, a page at a time, within the vendor's rate limit. */
  backfill?(run: BackfillRun): Promise<void>;
  /** The enrichments a record just written asks for. Pure. */
  enrichmentsFor?(record: SourceRecord, origin: RecordOrigin): EnrichmentRequest[];
  /**
   * Runs one enrichment: reads the vendor's API and returns what it tells as records. Only
   * their card is written (apply.server.ts): the card behind the customer's latest
   * payment-method change. They add no events: the timeline stands on the deliveries.
   */
  enrich?(ctx: ConnectorContext, request: { kind: string; payload: Record<string, unknown> }): Promise<SourceRecord[]>;
}

export interface SourceDefinition {
  id: string;
  name: string;
  /** Every topic this source turns into events; a delivery of another topic is kept and dead-lettered. */
  topics: readonly string[];
  /** What the merchant pastes to connect; none for a source signed with the app's own secret (Flow). */
  credentialFields: readonly CredentialField[];
  verify(input: VerifyInput): SourceVerification;
  /**
   * The payload as records; throws SourcePayloadError when it cannot be read. `receivedAt` is
   * when the delivery arrived (its triggered-at when it has one): the time of a change the
   * payload carries no time for (Seal's bodies have no updated_at).
   */
  toRecords(topic: string, payload: unknown, receivedAt?: Date): SourceRecord[];
  /** How the vendor's contract id is stored (namespaced unless it is Shopify's own contract id). */
  contractKey(vendorContractId: string): string;
  connector?: Connector;
}
