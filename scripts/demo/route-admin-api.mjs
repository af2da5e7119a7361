// Loaded into the demo's app server with NODE_OPTIONS="--import <this file>", before the
// app: Shopify's libraries keep the fetch they find when they load. Sends the demo shop's
// Admin API calls to the local stand-in (DEMO_ADMIN_API_URL); every other request is untouched.
const target = process.env.DEMO_ADMIN_API_URL?.replace(/\/$/, "");
const shop = process.env.DEMO_SHOP_DOMAIN || "lifeline-demo.myshopify.com";

if (target) {
  const origin = `https://${shop}`;
  const prefix = `${origin}/admin/api/`;
  const realFetch = globalThis.fetch;
  globalThis.fetch = function fetchWithDemoAdminApi(input, init) {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(prefix)) return realFetch(input, init);
    const local = target + url.slice(origin.length);
    return realFetch(input instanceof Request ? new Request(local, input) : local, init);
  };
}
