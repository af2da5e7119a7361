// Weights suggested from the store's own history, for the settings page: read from the
// score check a job computes after each rescore, or "computing" while there is none yet.
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { authenticate } from "../shopify.server";
import { suggestedWeights } from "../pages/settings/score-settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return suggestedWeights(session.shop);
};

/** Only a change to the score itself changes the suggestions; other settings saves leave them be. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  const intent = formData?.get("intent");
  const scoreSaved = intent === "scoring" || intent === "segments" || (intent === "save" && /scoring|segments/.test(String(formData?.get("sections") ?? "")));
  return scoreSaved ? defaultShouldRevalidate : false;
};
