// /demo/token: a fresh session token for the demo store, what App Bridge's idToken()
// returns inside the Shopify admin. Demo mode only: 404 otherwise.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { mintSessionToken } from "../demo/session-token.server";
import { requireDemoMode } from "../demo/mode.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const demo = requireDemoMode(request);
  const { token, expiresAt } = mintSessionToken({ shop: demo.shop, apiKey: demo.apiKey, apiSecret: demo.apiSecret });
  return Response.json({ token, expiresAt: expiresAt.toISOString() }, { headers: { "Cache-Control": "no-store" } });
};
