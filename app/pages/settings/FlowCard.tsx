import { Badge, BlockStack, Box, Card, InlineStack, List, Text } from "@shopify/polaris";
import { FLOW_ACTION_TITLE, FLOW_FROM_NOW, FLOW_OWN_WORKFLOW, FLOW_STEPS, type SourceCardView } from "./sources-options";
import { SourceStatusLine } from "./SourceStatusLine";

interface Props {
  card: SourceCardView;
  timeZone: string;
}

/**
 * Shopify Flow: nothing to connect (Flow signs each request with the app's own secret), only
 * templates to install. The way in for every app on Shopify's subscription contracts that
 * Lifeline has no direct connector for.
 */
export function FlowCard({ card, timeZone }: Props) {
  const receiving = card.status.lastEventAt != null;
  return (
    <section aria-label="Shopify Flow">
      <Card>
        <BlockStack gap="400">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Shopify Flow
            </Text>
            {receiving ? <Badge tone="success">Events received</Badge> : <Badge tone="attention">No events yet</Badge>}
          </InlineStack>
          <Text as="p" tone="subdued">
            For Shopify Subscriptions, Appstle, Loop, Skio, Stay AI and any other app that keeps Shopify subscription contracts, Lifeline hears of
            billing attempts and contract changes through Shopify Flow&apos;s action &quot;{FLOW_ACTION_TITLE}&quot;. There is nothing to connect: Flow
            signs each request with Lifeline&apos;s own key.
          </Text>
          <List type="number">
            {FLOW_STEPS.map((step) => (
              <List.Item key={step}>{step}</List.Item>
            ))}
          </List>
          <Text as="p">{FLOW_OWN_WORKFLOW}</Text>
          <Text as="p" tone="subdued">
            {FLOW_FROM_NOW}
          </Text>
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <SourceStatusLine status={card.status} vendor="Shopify Flow" imports={false} timeZone={timeZone} />
          </Box>
        </BlockStack>
      </Card>
    </section>
  );
}
