// /demo/app-bridge.js: the App Bridge stand-in for demo mode (APP_BRIDGE_URL points here).
// Demo mode only: 404 otherwise.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { appBridgeStub } from "../demo/app-bridge-stub";
import { requireDemoMode } from "../demo/mode.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const demo = requireDemoMode(request);
  return new Response(appBridgeStub(demo.shop), {
    headers: { "Content-Type": "application/javascript; charset=utf-8", "Cache-Control": "no-store" },
  });
};
