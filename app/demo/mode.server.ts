/**
 * Local demo mode: the admin pages opened in a plain browser against the demo store,
 * with this app standing in for Shopify's admin (it mints the session tokens the admin
 * would). It hands out a signed-in session to whoever asks, so it switches on only when
 * every one of these holds:
 *   - LIFELINE_DEMO=1,
 *   - SHOPIFY_APP_URL is plain http on a loopback address (the demo runs the production
 *     build, so NODE_ENV cannot tell a demo from a deployment; a public URL can),
 *   - the request itself is addressed to a loopback host,
 * and only ever for the demo shop.
 */
import { DEMO_SHOP } from "./constants";

export { DEMO_BANNER, DEMO_SHOP } from "./constants";

export type DemoMode =
  | { enabled: true; shop: string; appUrl: string; apiKey: string; apiSecret: string }
  | { enabled: false; reason: string };

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isLoopbackHttp(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname);
  } catch {
    return false;
  }
}

export function demoMode(env: Record<string, string | undefined> = process.env): DemoMode {
  if (env.LIFELINE_DEMO !== "1") return { enabled: false, reason: "LIFELINE_DEMO is not 1" };
  if (!isLoopbackHttp(env.SHOPIFY_APP_URL)) {
    return { enabled: false, reason: "SHOPIFY_APP_URL is not http://localhost or http://127.0.0.1" };
  }
  if (!env.SHOPIFY_API_KEY || !env.SHOPIFY_API_SECRET) return { enabled: false, reason: "the API key and secret are not set" };
  return {
    enabled: true,
    shop: DEMO_SHOP,
    appUrl: env.SHOPIFY_APP_URL!.replace(/\/$/, ""),
    apiKey: env.SHOPIFY_API_KEY,
    apiSecret: env.SHOPIFY_API_SECRET,
  };
}

/** Demo mode for this request: also refused when the request is not addressed to a loopback host. */
export function demoModeFor(request: Request, env: Record<string, string | undefined> = process.env): DemoMode {
  const mode = demoMode(env);
  if (!mode.enabled) return mode;
  if (!isLoopbackHttp(`http://${new URL(request.url).host}`) || !isLoopbackHttp(`http://${request.headers.get("host") ?? "localhost"}`)) {
    return { enabled: false, reason: "the request is not addressed to this machine" };
  }
  return mode;
}

/** Demo-only routes answer 404 when demo mode is off, as if they did not exist. */
export function requireDemoMode(request: Request): Extract<DemoMode, { enabled: true }> {
  const mode = demoModeFor(request);
  if (!mode.enabled) throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  return mode;
}
