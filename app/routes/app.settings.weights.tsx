// Weights suggested from the store's own history, for the settings page. Replaying half a
// year of the store is the page's slowest part, so it loads on its own, after the page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { authenticate } from "../shopify.server";
import { suggestedWeights } from "../pages/settings/score-settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { suggestions: await suggestedWeights(session.shop) };
};

/** Only a change to the score itself changes the suggestions; other settings saves leave them be. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  const intent = formData?.get("intent");
  return intent === "scoring" || intent === "segments" ? defaultShouldRevalidate : false;
};
