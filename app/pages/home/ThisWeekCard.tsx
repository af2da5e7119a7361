import { BlockStack, Button, Card, InlineStack, ResourceItem, ResourceList, Text } from "@shopify/polaris";
import { BandBadge, bandLabel } from "../shared/BandBadge";
import { formatCount, formatMoney } from "../shared/format";

export interface ThisWeekPerson {
  subscriberId: string;
  name: string;
  monthlyValue: number;
  currency: string;
  band: string;
  crossedFrom: string | null;
  reasons: string[];
}

/** Home's first card: how many people the at-risk list asks the merchant to contact, and the first five. */
export function ThisWeekCard({ toReview, top }: { toReview: number; top: ThisWeekPerson[] }) {
  const heading = toReview === 0 ? "This week: nobody to contact" : `This week: contact ${toReview === 1 ? "this person" : `these ${formatCount(toReview)} people`}`;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {heading}
          </Text>
          <Button variant="plain" url="/app/at-risk">
            {toReview > top.length ? `See all ${formatCount(toReview)} on the list` : "Open the list"}
          </Button>
        </InlineStack>
        {top.length === 0 ? (
          <Text as="p" tone="subdued">
            No subscriber is at risk and waiting for you. The list fills when someone's health drops to at risk or critical.
          </Text>
        ) : (
          <ResourceList
            resourceName={{ singular: "subscriber", plural: "subscribers" }}
            items={top}
            renderItem={(p) => (
              <ResourceItem id={p.subscriberId} url={`/app/subscribers/${p.subscriberId}`} accessibilityLabel={`Open ${p.name}`}>
                <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                  <BlockStack gap="050">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">
                        {p.name}
                      </Text>
                      <BandBadge band={p.band} />
                    </InlineStack>
                    <Text as="span" tone="subdued">
                      {p.reasons[0] ?? (p.crossedFrom ? `Was ${bandLabel(p.crossedFrom).toLowerCase()} earlier this week` : "Health dropped")}
                    </Text>
                  </BlockStack>
                  <Text as="span" numeric fontWeight="semibold">
                    {`${formatMoney(p.monthlyValue, p.currency)}/mo`}
                  </Text>
                </InlineStack>
              </ResourceItem>
            )}
          />
        )}
      </BlockStack>
    </Card>
  );
}
