// What the subscription-app cards, the onboarding checklist and their server side share: safe to import from the browser bundle.

export const SOURCE_INTENTS = ["source-connect", "source-test", "source-disconnect", "subscription-app"] as const;
export type SourceIntent = (typeof SOURCE_INTENTS)[number];

/** Credential inputs are named "credential.<key>", so no source's field can collide with the form's own names. */
export const credentialInput = (key: string) => `credential.${key}`;

/** Where the settings page's subscription-app section starts (the checklist links to it). */
export const SOURCES_ANCHOR = "subscription-app";

export interface SubscriptionApp {
  /** Stored in Shop.subscriptionApp; the id of its source when Lifeline has a direct connector. */
  id: string;
  name: string;
  /** Why Lifeline reaches this app through Shopify Flow rather than directly, when it does. */
  throughFlow: string;
  /** Its webhook signature or payloads are not documented well enough for a direct connector. */
  undocumented?: true;
}

/**
 * The apps the onboarding asks about. Where a source of the same id is installed, the app is
 * connected directly; otherwise its events come through Shopify Flow, and `throughFlow` says why.
 */
export const SUBSCRIPTION_APPS: readonly SubscriptionApp[] = [
  {
    id: "shopify",
    name: "Shopify Subscriptions",
    throughFlow:
      "Shopify sends subscription webhooks only to the app that owns the contracts, here Shopify Subscriptions, so Lifeline hears of them through Shopify Flow's subscription triggers.",
  },
  {
    id: "recharge",
    name: "Recharge",
    throughFlow:
      "This Lifeline server has no direct Recharge connector installed. Shopify Flow reaches only Recharge stores that use Shopify's checkout (Shopify subscription contracts).",
  },
  {
    id: "seal",
    name: "Seal Subscriptions",
    throughFlow: "This Lifeline server has no direct Seal connector installed. Seal keeps Shopify subscription contracts, so Shopify Flow's triggers reach them.",
  },
  {
    id: "appstle",
    name: "Appstle Subscriptions",
    undocumented: true,
    throughFlow:
      "Appstle's webhook signature (Svix) is documented, but the bodies of its subscription and billing events are not, so Lifeline has no direct Appstle connector. Appstle's own Flow triggers and Shopify's subscription triggers reach Lifeline through Flow.",
  },
  {
    id: "loop",
    name: "Loop Subscriptions",
    undocumented: true,
    throughFlow:
      "Loop does not document how its webhook signature is computed, so Lifeline cannot verify Loop's webhooks and has no direct connector. Loop keeps Shopify subscription contracts, so Shopify Flow's triggers reach them.",
  },
  {
    id: "skio",
    name: "Skio",
    undocumented: true,
    throughFlow:
      "Skio's webhooks carry no signature Lifeline can verify and their bodies are not documented, so there is no direct Skio connector. Skio keeps Shopify subscription contracts, so Shopify Flow's triggers reach them.",
  },
  {
    id: "stayai",
    name: "Stay AI",
    undocumented: true,
    throughFlow:
      "Stay AI signs a token but not the body of its webhooks, and the body is not documented, so there is no direct Stay AI connector. Stay AI keeps Shopify subscription contracts, so Shopify Flow's triggers reach them.",
  },
  {
    id: "other",
    name: "Another app",
    throughFlow: "Shopify Flow's subscription triggers fire for any app that keeps Shopify subscription contracts, so Lifeline hears of them through Flow.",
  },
];

export function subscriptionAppById(id: string | null | undefined): SubscriptionApp | null {
  return SUBSCRIPTION_APPS.find((a) => a.id === id) ?? null;
}

/** A source's connection as the page sees it: never the credentials. Dates are strings once serialised. */
export interface SourceConnectionView {
  connected: boolean;
  connectedAt: string | Date | null;
  webhooksRegistered: number;
  backfillStatus: string;
  backfillProgress: Record<string, unknown>;
  backfillError: string | null;
  backfillAt: string | Date | null;
  lastError: string | null;
  lastErrorAt: string | Date | null;
}

export interface SourceStatusView {
  lastEventAt: string | Date | null;
  failed: number;
  waiting: number;
  connection: SourceConnectionView | null;
}

/** One card of the settings page's subscription-app section. */
export interface SourceCardView {
  id: string;
  name: string;
  /** Empty for a source with nothing to connect (Flow). */
  fields: { key: string; label: string; helpText: string }[];
  registersWebhooks: boolean;
  imports: boolean;
  /** What to do at the vendor by hand, with the address to paste, when webhooks cannot be registered through its API. */
  manualSetup: { text: string; webhookAddress: string } | null;
  status: SourceStatusView;
}

export interface SourcesSettingsView {
  subscriptionApp: string | null;
  /** Sources the merchant connects with credentials. */
  connectors: SourceCardView[];
  /** Shopify Flow, when its source is installed: nothing to connect, only templates to install. */
  flow: SourceCardView | null;
}

/** The Flow action's title in Shopify Flow (extensions/record-subscription-event). */
export const FLOW_ACTION_TITLE = "Record subscription event in Lifeline";

/** Setting up Shopify Flow, step by step: the settings card and the onboarding checklist show the same. */
export const FLOW_STEPS: readonly string[] = [
  "In your Shopify admin, open Shopify Flow (free from the Shopify App Store).",
  'Choose Templates and search for "Lifeline".',
  "Install each Lifeline template and turn it on. They pass Shopify's subscription triggers (billing attempt failed, succeeded or challenged; subscription contract updated) to Lifeline, and Appstle's own triggers on Appstle stores.",
];

export const FLOW_OWN_WORKFLOW = `Or build a workflow of your own: any subscription trigger, then the action "${FLOW_ACTION_TITLE}" with the customer, the Event (what happened), the Subscription contract ID and the Time; and, where the trigger has them, the contract status, error code, reason, amount, currency and billing interval.`;

export const FLOW_FROM_NOW = "Flow passes on events from the moment a workflow is on: history from before is not imported.";
