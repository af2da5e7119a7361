/**
 * The settings page's subscription-app section: a card per source (what to paste, what
 * connecting does, the status line; never the credentials) and its actions, plus the
 * merchant's answer to "which subscription app does your store use".
 */
import { z } from "zod";
import type { SourceDefinition } from "../../sources/definition";
import { allSources } from "../../sources/registry.server";
import { connectSource, disconnectSource, sourceWebhookAddress, testSource } from "../../sources/connect.server";
import { sourceStatuses, type SourceStatus } from "../../sources/status.server";
import { saveSubscriptionApp, subscriptionAppOf } from "../../models/shop.server";
import type { SourceConnectionStatus } from "../../models/source-connection.server";
import { SUBSCRIPTION_APPS, credentialInput, subscriptionAppById, type SourceCardView, type SourceConnectionView, type SourceIntent, type SourcesSettingsView } from "./sources-options";

/** A source the merchant can connect: it has credentials to paste and a connector to check them. */
const connectable = (s: SourceDefinition) => s.credentialFields.length > 0 && s.connector != null;

/** Field by field, so nothing the model adds later reaches a page unseen. */
export function connectionView(c: SourceConnectionStatus): SourceConnectionView {
  return {
    connected: c.connected,
    connectedAt: c.connectedAt,
    webhooksRegistered: c.webhooksRegistered,
    backfillStatus: c.backfillStatus,
    backfillProgress: c.backfillProgress,
    backfillError: c.backfillError,
    backfillAt: c.backfillAt,
    lastError: c.lastError,
    lastErrorAt: c.lastErrorAt,
  };
}

function cardOf(shop: string, s: SourceDefinition, status: SourceStatus): SourceCardView {
  return {
    id: s.id,
    name: s.name,
    fields: s.credentialFields.map(({ key, label, helpText }) => ({ key, label, helpText })),
    registersWebhooks: s.connector?.registerWebhooks != null,
    imports: s.connector?.backfill != null,
    manualSetup: s.connector?.manualSetup ? { text: s.connector.manualSetup, webhookAddress: sourceWebhookAddress(shop, s.id) } : null,
    status: {
      lastEventAt: status.lastEventAt,
      failed: status.failed,
      waiting: status.waiting,
      connection: status.connection ? connectionView(status.connection) : null,
    },
  };
}

export async function sourcesSettings(shop: string, sources: readonly SourceDefinition[] = allSources()): Promise<SourcesSettingsView> {
  const shown = sources.filter((s) => connectable(s) || s.id === "flow");
  const [statuses, subscriptionApp] = await Promise.all([sourceStatuses(shop, shown), subscriptionAppOf(shop)]);
  const cards = shown.map((s, i) => cardOf(shop, s, statuses[i]));
  return { subscriptionApp, connectors: cards.filter((c) => c.fields.length > 0), flow: cards.find((c) => c.id === "flow") ?? null };
}

export type SourceActionResult = { ok: true; message: string } | { ok: false; status: number; error: string; fieldErrors?: Record<string, string> };

const appSchema = z.enum(SUBSCRIPTION_APPS.map((a) => a.id) as [string, ...string[]], { errorMap: () => ({ message: "Choose the app your store uses." }) });

/** A vendor's message could quote what was pasted: it never goes back to the browser. */
function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join("[hidden]"), text);
}

/** The section's form actions; `fields` is the posted form without its intent. */
export async function sourceAction(
  shop: string,
  intent: SourceIntent,
  fields: Record<string, string>,
  sources: readonly SourceDefinition[] = allSources(),
  now: Date = new Date(),
): Promise<SourceActionResult> {
  if (intent === "subscription-app") {
    const app = appSchema.safeParse(fields.app);
    if (!app.success) return { ok: false, status: 400, error: app.error.issues[0].message, fieldErrors: { app: app.error.issues[0].message } };
    await saveSubscriptionApp(shop, app.data);
    return { ok: true, message: `Saved: your store uses ${subscriptionAppById(app.data)!.name}.` };
  }
  const source = sources.find((s) => s.id === fields.source && connectable(s));
  if (!source) return { ok: false, status: 400, error: "Choose which app to connect." };
  switch (intent) {
    case "source-connect": {
      const input = Object.fromEntries(source.credentialFields.map((f) => [f.key, fields[credentialInput(f.key)] ?? ""]));
      const result = await connectSource(shop, source.id, input, now);
      const secrets = Object.values(input).map((v) => v.trim());
      if (!result.ok) {
        const fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors ?? {}).map(([key, e]) => [credentialInput(key), redact(e, secrets)]));
        return { ok: false, status: 400, error: redact(result.error, secrets), fieldErrors };
      }
      const next = [source.connector?.registerWebhooks ? "registering its webhooks" : null, source.connector?.backfill ? "importing your history" : null].filter(Boolean);
      return { ok: true, message: redact(`${result.message}${next.length ? ` Lifeline is ${next.join(" and ")}.` : ""}`, secrets) };
    }
    case "source-test": {
      const result = await testSource(shop, source.id, now);
      return result.ok ? { ok: true, message: result.message } : { ok: false, status: 400, error: result.message };
    }
    case "source-disconnect": {
      const { warning } = await disconnectSource(shop, source.id, now);
      return { ok: true, message: warning ?? `Disconnected from ${source.name}. What was imported stays.` };
    }
  }
}
