import { BlockStack, Box, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { BandBadge, BAND_ORDER, type BandName } from "../shared/BandBadge";
import { BandTrendChart, type TrendWeek } from "../shared/BandTrendChart";
import { formatCount, formatPercent } from "../shared/format";

interface Props {
  bands: Record<BandName, number>;
  cancelled: number;
  unscored: number;
  trend: TrendWeek[];
}

/** Subscribers by health band now, and the last weeks' snapshots as a chart with its table. */
export function HealthCard({ bands, cancelled, unscored, trend }: Props) {
  const total = BAND_ORDER.reduce((sum, b) => sum + bands[b], 0);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Subscriber health
          </Text>
          <Button variant="plain" url="/app/subscribers">
            See every subscriber
          </Button>
        </InlineStack>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          {BAND_ORDER.map((band) => (
            <Box key={band} padding="300" background="bg-surface-secondary" borderRadius="200">
              <BlockStack gap="100">
                <InlineStack>
                  <BandBadge band={band} />
                </InlineStack>
                <Text as="p" variant="headingLg" numeric>
                  {formatCount(bands[band])}
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {total > 0 ? `${formatPercent(bands[band] / total)} of scored subscribers` : "No one scored yet"}
                </Text>
              </BlockStack>
            </Box>
          ))}
        </InlineGrid>
        {cancelled > 0 ? (
          <Text as="p" tone="subdued">
            {formatCount(cancelled)} {cancelled === 1 ? "subscriber has" : "subscribers have"} cancelled: counted as cancelled, not in any band.
          </Text>
        ) : null}
        {unscored > 0 ? (
          <Text as="p" tone="subdued">
            {formatCount(unscored)} {unscored === 1 ? "subscriber is" : "subscribers are"} not scored yet.
          </Text>
        ) : null}
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            The last {trend.length} weeks
          </Text>
          <BandTrendChart weeks={trend} />
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
