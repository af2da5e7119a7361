import { BlockStack, Card, List, Text } from "@shopify/polaris";

/** What Lifeline keeps, for how long, and what Shopify's privacy webhooks do to it. */
export function PrivacyCard() {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            What is stored
          </Text>
          <List type="bullet">
            <List.Item>Each subscriber's Shopify customer id, name and email, to list them and to reach them through Klaviyo.</List.Item>
            <List.Item>Their subscription contracts (products, value, status) and a timeline of subscription events: orders, skips, pauses, edits and payment failures with the bank's reason.</List.Item>
            <List.Item>The card's expiry month and year, to warn before it expires. Never the card number.</List.Item>
            <List.Item>Health scores with their reasons and weekly history, playbook firings, tasks and your notes on them.</List.Item>
            <List.Item>Subscription webhooks as Shopify sent them, so a delivery can be inspected or replayed.</List.Item>
            <List.Item>Your Klaviyo private key, encrypted (AES-256-GCM). It is only read by the server to send plays.</List.Item>
          </List>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            How long
          </Text>
          <Text as="p">
            While the app is installed. When you uninstall, Shopify asks Lifeline to erase the store's data 48 hours later (shop/redact): subscribers, their
            timelines, contracts, scores, firings and tasks, webhook deliveries and sessions are deleted.
          </Text>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Redaction requests
          </Text>
          <List type="bullet">
            <List.Item>
              When a customer asks to be forgotten (customers/redact), their name and email are erased and every stored webhook that carried them is scrubbed. Their
              anonymous timeline stays, so past figures such as churn rates and play results do not change.
            </List.Item>
            <List.Item>
              When a customer asks for their data (customers/data_request), Lifeline assembles what it holds about them (identity, card expiry, contracts, timeline)
              for you to send.
            </List.Item>
          </List>
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
