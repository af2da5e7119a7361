import { Badge, BlockStack, Box, Card, InlineStack, List, Text } from "@shopify/polaris";
import type { SubscriberDetail } from "./subscribers.server";
import { OUTCOME_LABELS, PLAY_KIND_LABELS, PLAY_STATUS_LABELS } from "./subscribers-options";
import { formatDate, formatDateTime } from "../shared/format";

type Firing = SubscriberDetail["firings"][number];

const STATUS_TONES: Record<string, "success" | "critical" | "attention"> = { sent: "success", failed: "critical", pending: "attention" };

/**
 * Every time a trigger of the playbook picked this subscriber. A holdout firing sent
 * nothing on purpose: it is the comparison that shows whether the play works.
 */
export function PlaysCard({ firings, timeZone }: { firings: Firing[]; timeZone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Plays
        </Text>
        {firings.length === 0 ? (
          <Text as="p" tone="subdued">
            No trigger of your playbook has picked this subscriber.
          </Text>
        ) : (
          firings.map((f) => <FiringItem key={f.id} firing={f} timeZone={timeZone} />)
        )}
      </BlockStack>
    </Card>
  );
}

function FiringItem({ firing: f, timeZone }: { firing: Firing; timeZone: string }) {
  return (
    <Box borderBlockStartWidth="025" borderColor="border" paddingBlockStart="300">
      <BlockStack gap="150">
        <InlineStack align="space-between" gap="200" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {f.triggerName}
            </Text>
            {f.holdout ? <Badge tone="info">Held out, nothing sent</Badge> : null}
            {f.outcome ? <Badge>{`Outcome: ${OUTCOME_LABELS[f.outcome] ?? f.outcome}`}</Badge> : null}
          </InlineStack>
          <Text as="span" tone="subdued" variant="bodySm">
            {formatDate(f.firedAt, timeZone)}
          </Text>
        </InlineStack>
        {f.reasons.length ? (
          <List type="bullet" gap="extraTight">
            {f.reasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
        ) : null}
        {f.holdout ? (
          <Text as="p" tone="subdued" variant="bodySm">
            Kept aside at random so the playbook can measure whether this play makes a difference.
          </Text>
        ) : f.plays.length === 0 ? (
          <Text as="p" tone="subdued" variant="bodySm">
            Nothing was sent to Klaviyo for this firing.
          </Text>
        ) : (
          <BlockStack gap="100">
            {f.plays.map((p) => (
              <InlineStack key={`${p.kind}-${p.metric ?? ""}`} gap="200" blockAlign="center">
                <Badge tone={STATUS_TONES[p.status]}>{PLAY_STATUS_LABELS[p.status] ?? p.status}</Badge>
                <Text as="span">
                  {PLAY_KIND_LABELS[p.kind] ?? p.kind}
                  {p.metric ? `: ${p.metric}` : ""}
                </Text>
                <Text as="span" tone="subdued" variant="bodySm">
                  {p.sentAt
                    ? `sent ${formatDateTime(p.sentAt, timeZone)}`
                    : p.attempts > 0
                      ? `${p.attempts} ${p.attempts === 1 ? "attempt" : "attempts"}${p.lastError ? `; last error: ${p.lastError}` : ""}`
                      : ""}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Box>
  );
}
