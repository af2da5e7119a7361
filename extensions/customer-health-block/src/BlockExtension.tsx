/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { appLink, bandBadge, customerIdFrom, readHealth, weekLine, type Loaded } from "./health";

export default async () => {
  render(<CustomerHealthBlock />, document.body);
};

function CustomerHealthBlock() {
  const customerId = customerIdFrom(shopify.data.selected[0]?.id);
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });

  useEffect(() => {
    if (!customerId) return;
    let live = true;
    // A relative URL goes to the app's own backend, with the admin's ID token attached.
    fetch(`/api/customer-health/${customerId}`)
      .then(readHealth)
      .catch(() => ({ state: "error", message: "Lifeline could not be reached. Try again in a moment." }) as const)
      .then((result) => {
        if (live) setLoaded(result);
      });
    return () => {
      live = false;
    };
  }, [customerId]);

  return (
    <s-admin-block heading="Subscriber health">
      <Body loaded={customerId ? loaded : { state: "not_subscriber" }} />
    </s-admin-block>
  );
}

function Body({ loaded }: { loaded: Loaded }) {
  if (loaded.state === "loading") return <s-spinner accessibilityLabel="Loading subscriber health" />;
  if (loaded.state === "not_subscriber") return <s-text color="subdued">This customer has no subscription Lifeline knows of.</s-text>;
  if (loaded.state === "error") return <s-banner tone="critical">{loaded.message}</s-banner>;

  const { health } = loaded;
  const badge = bandBadge(health.band, health.thisWeek);
  const week = weekLine(health.thisWeek);
  return (
    <s-stack direction="block" gap="base">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">{health.score === null ? "No score yet" : `Health score ${health.score} of 100`}</s-text>
        <s-badge tone={badge.tone}>{badge.label}</s-badge>
      </s-stack>
      {week ? <s-text>{week}</s-text> : null}
      {health.reasons.length > 0 ? (
        <s-unordered-list>
          {health.reasons.map((r) => (
            <s-list-item key={r.text}>{r.effect === "risk" ? `Risk: ${r.text}` : `Helps: ${r.text}`}</s-list-item>
          ))}
        </s-unordered-list>
      ) : null}
      <s-link href={appLink(health.subscriberPath)}>View in Lifeline</s-link>
    </s-stack>
  );
}
