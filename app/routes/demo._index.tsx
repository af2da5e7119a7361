// /demo: opens the admin pages locally against the demo store, signed in as the
// Shopify admin would sign in (a session token in the URL). Demo mode only: 404 otherwise.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import prisma from "../db.server";
import { hostParam, mintSessionToken } from "../demo/session-token.server";
import { requireDemoMode } from "../demo/mode.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const demo = requireDemoMode(request);
  const installed = await prisma.session.findFirst({ where: { shop: demo.shop, isOnline: false }, select: { id: true } });
  if (!installed) {
    return new Response(`The demo store (${demo.shop}) is not installed in this database yet: run the demo first.`, {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  // ?to=/app/at-risk opens that page; only the app's own pages.
  const to = new URL(request.url).searchParams.get("to");
  const target = new URL(to && /^\/app(\/[\w\-./]*)?$/.test(to) ? to : "/app", demo.appUrl);
  const { token } = mintSessionToken({ shop: demo.shop, apiKey: demo.apiKey, apiSecret: demo.apiSecret });
  target.searchParams.set("shop", demo.shop);
  target.searchParams.set("host", hostParam(demo.shop));
  target.searchParams.set("embedded", "1");
  target.searchParams.set("id_token", token);
  return redirect(`${target.pathname}${target.search}`, { headers: { "Cache-Control": "no-store" } });
};
