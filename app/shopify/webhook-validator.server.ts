import "@shopify/shopify-api/adapters/web-api";
import { shopifyApi, type WebhookValidation } from "@shopify/shopify-api";
import { config } from "../config.server";
import { API_VERSION } from "../shopify.server";

/**
 * Shopify's own webhook validator (HMAC over the raw body, required headers): the same
 * check `authenticate.webhook` runs, without what it adds after it (parsing the body,
 * which throws on malformed JSON, and loading the shop's session on every delivery).
 */
let api: ReturnType<typeof shopifyApi> | undefined;

function shopifyApiClient() {
  const env = config();
  api ??= shopifyApi({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    hostName: new URL(env.SHOPIFY_APP_URL).host,
    isEmbeddedApp: true,
    logger: { level: 0 },
  });
  return api;
}

export function validateWebhook(rawBody: string, request: Request): Promise<WebhookValidation> {
  return shopifyApiClient().webhooks.validate({ rawBody, rawRequest: request });
}
