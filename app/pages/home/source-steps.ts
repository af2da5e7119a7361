/**
 * The onboarding's subscription-app steps, from where the store's events come from: which app
 * it uses, then a connection in Settings or Shopify Flow's templates; and what to check when
 * nothing arrived for a day. Pure, shared by the checklist and its tests.
 */
import { formatDateTime } from "../shared/format";
import { importSentence } from "../settings/source-status";
import { FLOW_OWN_WORKFLOW, FLOW_STEPS, SOURCES_ANCHOR, SUBSCRIPTION_APPS, subscriptionAppById, type SourceConnectionView } from "../settings/sources-options";

/** Where the store's subscription events come from (the onboarding's first steps). Dates are strings once serialised. */
export interface OnboardingState {
  /** The merchant's answer (Shop.subscriptionApp), an id of SUBSCRIPTION_APPS. */
  subscriptionApp: string | null;
  /** The apps this server connects to directly (sources with credentials). */
  direct: { id: string; name: string }[];
  /** The chosen app's connection, when it is one of `direct`. */
  connection: SourceConnectionView | null;
  flow: { installed: boolean; lastEventAt: string | Date | null };
  /** Subscription deliveries of the last 24 hours, from every source and Shopify's webhooks. */
  recentEvents: { count: number; lastAt: string | Date | null };
  timeZone: string;
}

export interface Step {
  id: string;
  title: string;
  detail: string;
  done: boolean;
  failed?: boolean;
  /** A link to the page where the step is done, or a form posted to the home route. */
  action?: { label: string; url: string } | { label: string; intent: string };
  /** Points under the detail; steps to follow in order; a line after them. */
  points?: readonly string[];
  list?: readonly string[];
  note?: string;
}

const SOURCES_SETTINGS = `/app/settings#${SOURCES_ANCHOR}`;
export const SUBSCRIPTION_APP_STEP = "subscription-app";

const sentenceList = (names: string[]) => (names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

/** Which app the store uses, then what that app needs: a connection in Settings, or Shopify Flow's templates. */
export function sourceSteps(o: OnboardingState): Step[] {
  const app = subscriptionAppById(o.subscriptionApp);
  const directIds = new Set(o.direct.map((d) => d.id));
  const notDirect = (a: { id: string }) => !directIds.has(a.id);
  const undocumented = SUBSCRIPTION_APPS.filter((a) => a.undocumented && notDirect(a)).map((a) => a.name);
  const uninstalled = SUBSCRIPTION_APPS.filter((a) => ["recharge", "seal"].includes(a.id) && notDirect(a)).map((a) => a.name);
  const throughFlow = [
    "Shopify Subscriptions (it sends its webhooks to no other app)",
    undocumented.length ? `${sentenceList(undocumented)} (their webhook signatures or payloads are not documented well enough for a direct connector)` : "",
    uninstalled.length ? `${sentenceList(uninstalled)} (no direct connector on this server)` : "",
    "any other app on Shopify's subscription contracts",
  ].filter(Boolean);
  const choose: Step = {
    id: SUBSCRIPTION_APP_STEP,
    title: "Tell Lifeline which subscription app your store uses",
    detail: app
      ? `Your store uses ${app.name}.`
      : "Shopify sends subscription webhooks only to the app that owns the contracts, so Lifeline takes your events from that app.",
    ...(app
      ? {}
      : {
          points: [
            ...(o.direct.length ? [`Connected directly, in Settings: ${sentenceList(o.direct.map((d) => d.name))}.`] : []),
            `Through Shopify Flow: ${throughFlow.slice(0, -1).join("; ")}; and ${throughFlow.at(-1)}.`,
          ],
        }),
    done: app != null,
  };
  if (!app) return [choose];
  const direct = o.direct.find((d) => d.id === app.id);
  if (direct) {
    const c = o.connection;
    const connected = c?.connected === true;
    return [
      choose,
      {
        id: "connect",
        title: `Connect ${direct.name} in Settings`,
        detail: connected
          ? `Connected. ${importSentence(c, direct.name).text}`
          : `Paste your ${direct.name} credentials in Settings. Lifeline checks them with ${direct.name}, then receives its events as they happen and imports your history.`,
        done: connected,
        failed: connected && c.backfillStatus === "failed",
        action: { label: `Connect ${direct.name}`, url: SOURCES_SETTINGS },
      },
    ];
  }
  const arrived = o.flow.lastEventAt != null;
  return [
    choose,
    {
      id: "flow",
      title: "Install the Flow templates",
      detail: arrived ? `Events are arriving through Shopify Flow: the last one ${formatDateTime(o.flow.lastEventAt, o.timeZone)}.` : app.throughFlow,
      done: arrived,
      ...(arrived ? {} : { list: FLOW_STEPS, note: FLOW_OWN_WORKFLOW }),
      action: { label: "Flow status", url: SOURCES_SETTINGS },
    },
  ];
}

/** What to check when nothing has arrived for a day, for the app the store uses. */
export function quietChecks(o: OnboardingState): string[] {
  const app = subscriptionAppById(o.subscriptionApp);
  const direct = app ? o.direct.find((d) => d.id === app.id) : undefined;
  if (!app) return ["Tell Lifeline which subscription app your store uses (in the set-up steps), then connect it or install the Flow templates."];
  if (direct && !o.connection?.connected) return [`${direct.name} is not connected: connect it in Settings.`];
  if (direct) {
    return [
      `The ${direct.name} card in Settings: its status line shows the last event received and the last error, and "Test connection" checks the credentials.`,
      `In ${direct.name}, that Lifeline's webhooks are still listed and active.`,
      "A small store can have a quiet day: most events come on billing days.",
    ];
  }
  return [
    "In Shopify Flow, that the Lifeline workflows are turned on, and that their recent runs show no errors.",
    `That ${app.id === "other" ? "your subscription app" : app.name} keeps Shopify subscription contracts: Flow's subscription triggers fire only for those.`,
    "A small store can have a quiet day: most events come on billing days.",
  ];
}
