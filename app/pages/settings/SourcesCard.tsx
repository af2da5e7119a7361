import { BlockStack, Card, Text } from "@shopify/polaris";
import type { SourcesSettingsView } from "./sources-options";
import { SourceConnectionCard } from "./SourceConnectionCard";
import { FlowCard } from "./FlowCard";

interface Props {
  sources: SourcesSettingsView;
  timeZone: string;
}

/** The subscription-app section: a card per app Lifeline connects to directly, then Shopify Flow for the rest. */
export function SourcesCard({ sources, timeZone }: Props) {
  return (
    <BlockStack gap="400">
      {sources.connectors.map((card) => (
        <SourceConnectionCard key={card.id} card={card} timeZone={timeZone} />
      ))}
      {sources.flow ? <FlowCard card={sources.flow} timeZone={timeZone} /> : null}
      {sources.connectors.length === 0 && !sources.flow ? (
        <Card>
          <Text as="p" tone="subdued">
            This Lifeline server has no subscription app connectors installed, so it hears only Shopify&apos;s own subscription webhooks: those
            reach Lifeline only for contracts Lifeline itself owns.
          </Text>
        </Card>
      ) : null}
    </BlockStack>
  );
}
