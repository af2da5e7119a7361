import { BlockStack, Box, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { SubscriberDetail } from "./subscribers.server";
import { segmentLabel } from "./subscribers-options";
import { BandBadge, bandLabel } from "../shared/BandBadge";
import { formatDate, formatDateTime } from "../shared/format";

type Health = NonNullable<SubscriberDetail["health"]>;
type Cancellation = SubscriberDetail["subscriber"]["cancellation"];

/**
 * The score, its band, and each factor in plain words with its share of the score; for
 * someone who has cancelled, when and why instead (an ended subscription has no health).
 */
export function HealthCard({
  health,
  status,
  cancellation,
  timeZone,
}: {
  health: Health | null;
  status: string;
  cancellation: Cancellation;
  timeZone: string;
}) {
  if (status === "cancelled") {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Cancelled
          </Text>
          <Text as="p">{endedWords(cancellation, timeZone)}</Text>
          {cancellation?.how === "cancelled" ? (
            <Text as="p" tone={cancellation.reason ? undefined : "subdued"}>
              {cancellation.reason ? `The reason they gave: ${cancellation.reason}` : "They gave no reason."}
            </Text>
          ) : null}
        </BlockStack>
      </Card>
    );
  }
  if (!health) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Health
          </Text>
          <Text as="p" tone="subdued">
            Not scored yet: the score appears once their subscription history has been read.
          </Text>
        </BlockStack>
      </Card>
    );
  }
  const risks = health.factors.filter((f) => f.points < 0);
  const helps = health.factors.filter((f) => f.points > 0);
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Health
          </Text>
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" variant="heading2xl" numeric>
              {health.score}
            </Text>
            <Text as="span" tone="subdued">
              out of 100
            </Text>
            <BandBadge band={health.band} />
          </InlineStack>
          <Text as="p" tone="subdued" variant="bodySm">
            {`${bandLabel(health.band)} since ${formatDate(health.bandSince, timeZone)}. ${segmentLabel(health.segmentKey)} subscriber. Scored ${formatDateTime(health.computedAt, timeZone)}.`}
          </Text>
        </BlockStack>
        {health.band !== "healthy" ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <BlockStack gap="050">
              <Text as="p" variant="headingSm">
                {`Suggested: ${health.suggestion.label}`}
              </Text>
              <Text as="p" tone="subdued">
                {health.suggestion.detail}
              </Text>
            </BlockStack>
          </Box>
        ) : null}
        {health.factors.length === 0 ? (
          <Text as="p" tone="subdued">
            Nothing in their history moves the score up or down.
          </Text>
        ) : (
          <>
            <FactorList title="What lowers the score" factors={risks} tone="critical" />
            <FactorList title="What helps" factors={helps} tone="success" />
          </>
        )}
      </BlockStack>
    </Card>
  );
}

function endedWords(c: Cancellation, timeZone: string): string {
  if (!c?.at) return "Every subscription of theirs has ended.";
  const on = formatDate(c.at, timeZone);
  if (c.how === "expired") return `Their subscription reached its end on ${on}.`;
  if (c.how === "failed") return `Their subscription stopped after failed payments on ${on}.`;
  return `They cancelled on ${on}.`;
}

function FactorList({ title, factors, tone }: { title: string; factors: Health["factors"]; tone: "critical" | "success" }) {
  if (factors.length === 0) return null;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      {factors.map((f) => {
        const share = Math.round(f.share * 100);
        return (
          <BlockStack key={f.signal} gap="100">
            <InlineStack align="space-between" gap="200" wrap={false}>
              <Text as="p">{f.text}</Text>
              <Text as="span" tone="subdued" numeric>
                {`${share}% share`}
              </Text>
            </InlineStack>
            <ProgressBar progress={share} size="small" tone={tone} />
          </BlockStack>
        );
      })}
    </BlockStack>
  );
}
