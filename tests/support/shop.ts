import { Session } from "@shopify/shopify-api";
import { sessionStorage } from "~/shopify.server";

/** What an install leaves behind: the shop's offline session (token exchange, done). */
export async function installShop(shop: string): Promise<void> {
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken: "shpat_test_token",
      scope: process.env.SCOPES,
    }),
  );
}
