/**
 * Recharge's connector: what Lifeline does with a shop's Recharge API token. Testing the
 * connection reads one object of each resource the import reads, so a token without a
 * permission is refused when the merchant connects, not halfway through the import.
 * Webhooks are registered one topic per address (`<address>?topic=<topic>`: Recharge
 * sends no topic header, and verify.ts reads the topic back from there), reusing any
 * webhook Recharge already has for the same address and topic, so a rerun registers
 * nothing twice.
 */
import { config } from "../../config.server";
import type { Connector, ConnectorContext, TestResult } from "../definition";
import { RechargeRefusedError, createRechargeClient, type RechargeClient, type RechargeClientOptions, type RechargeListResource } from "./api.server";
import { backfillRecharge, type RechargeBackfillOptions } from "./backfill.server";
import { cardEnrichmentsFor } from "./card";
import { enrichRecharge } from "./card.server";
import { RECHARGE_TOPICS, includedObjects } from "./topics";

export interface RechargeConnectorOptions {
  /** How the connector reaches Recharge (base URL, pacer, timeouts); defaults read RECHARGE_API_BASE_URL when called. */
  client?: RechargeClientOptions;
  backfill?: Omit<RechargeBackfillOptions, "client">;
}

/** What the merchant calls each resource's permission in Recharge's token settings. */
const PERMISSION: Record<RechargeListResource, string> = {
  subscriptions: "Subscriptions",
  charges: "Orders (charges)",
  customers: "Customers",
  payment_methods: "Payment methods",
};

/** The address of one topic's webhook: the shop's address, naming the topic. */
export function rechargeWebhookAddress(webhookAddress: string, topic: string): string {
  return `${webhookAddress}?topic=${encodeURIComponent(topic)}`;
}

export function createRechargeConnector(options: RechargeConnectorOptions = {}): Connector {
  const clientOptions = (): RechargeClientOptions => ({ baseUrl: config().RECHARGE_API_BASE_URL, ...options.client });
  const clientFor = (credentials: Record<string, string>): RechargeClient => createRechargeClient(credentials.accessToken ?? "", clientOptions());

  return {
    async testConnection(ctx: ConnectorContext): Promise<TestResult> {
      const client = clientFor(ctx.credentials);
      for (const resource of ["subscriptions", "charges", "customers"] as const) {
        try {
          await client.list(resource, { limit: 1 });
        } catch (error) {
          // A bad token fails the first read; a missing permission names the one it lacks.
          if (!(error instanceof RechargeRefusedError)) throw error;
          return {
            ok: false,
            message: error.status === 403
              ? `This Recharge API token cannot read ${PERMISSION[resource]}. In Recharge (Tools & apps > API tokens), give the token read access to ${PERMISSION[resource]}, then connect again.`
              : error.message,
          };
        }
      }
      return { ok: true, message: "Connected to Recharge: the token can read subscriptions, charges and customers." };
    },

    async registerWebhooks(ctx) {
      const client = clientFor(ctx.credentials);
      const existing = await client.listWebhooks();
      const ids: string[] = [];
      for (const topic of RECHARGE_TOPICS) {
        const address = rechargeWebhookAddress(ctx.webhookAddress, topic);
        const found = existing.find((w) => w.address === address && w.topic === topic);
        ids.push(found ? found.id : (await client.createWebhook({ address, topic, includedObjects: includedObjects(topic) })).id);
      }
      return ids;
    },

    async removeWebhooks(ctx, ids) {
      const client = clientFor(ctx.credentials);
      // Also any webhook at this shop's address that the stored ids miss (a registration cut short before they were saved).
      const ours = (await client.listWebhooks()).filter((w) => w.address.startsWith(`${ctx.webhookAddress}?`)).map((w) => w.id);
      for (const id of new Set([...ids, ...ours])) await client.deleteWebhook(id);
    },

    backfill: (run) => backfillRecharge(run, { ...options.backfill, client: clientOptions() }),

    // The card behind a payment-method change: card.ts says when, card.server.ts reads it.
    enrichmentsFor: cardEnrichmentsFor,
    enrich: (ctx, request) => enrichRecharge(ctx, request, clientOptions()),
  };
}

export const rechargeConnector: Connector = createRechargeConnector();
