/** The demo store, and the words that mark demo mode on every page. Shared by server and browser code. */
export const DEMO_SHOP = "lifeline-demo.myshopify.com";
export const DEMO_BANNER = "Demo mode: local data, not connected to Shopify";
