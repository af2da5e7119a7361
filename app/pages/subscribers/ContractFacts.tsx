import { Badge, Banner, BlockStack, Box, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { SubscriberDetail } from "./subscribers.server";
import { statusLabel } from "./subscribers-options";
import { formatDate, formatMoney } from "../shared/format";

type Subscriber = SubscriberDetail["subscriber"];
type Contract = SubscriberDetail["contracts"][number];

/** "Every month", "Every 2 weeks". */
export function intervalLabel(interval: string | null, count: number | null): string {
  if (!interval) return "";
  const unit = interval.toLowerCase();
  const n = count ?? 1;
  return n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`;
}

function cardText(card: NonNullable<Subscriber["card"]>): string {
  return `${String(card.month).padStart(2, "0")}/${card.year}`;
}

/** The money side: what they pay, when they pay next, the card it comes from, and what is in each subscription. */
export function ContractFacts({ subscriber: s, contracts, timeZone }: { subscriber: Subscriber; contracts: Contract[]; timeZone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Subscription
        </Text>
        {s.card?.expired ? (
          <Banner tone="critical" title="The card on file has expired">
            <p>{`It expired at the end of ${cardText(s.card)}. Ask them to update their payment method before the next billing.`}</p>
          </Banner>
        ) : s.card?.expiresBeforeNextBilling ? (
          <Banner tone="warning" title="The card expires before the next billing">
            <p>{`The card on file expires at the end of ${cardText(s.card)}, before the billing on ${formatDate(s.nextBillingAt, timeZone)}.`}</p>
          </Banner>
        ) : null}
        <dl style={{ margin: 0, display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 16, rowGap: 6 }}>
          <Fact term="Status" value={statusLabel(s.status)} />
          <Fact term="Monthly value" value={formatMoney(s.monthlyValue, s.currency)} />
          <Fact term="Next billing" value={s.nextBillingAt ? formatDate(s.nextBillingAt, timeZone) : s.status === "active" ? "Not known yet" : "Not scheduled"} />
          <Fact term="Card expiry" value={s.card ? cardText(s.card) : "Not known"} />
          <Fact term="Subscriber since" value={s.firstSubscribedAt ? formatDate(s.firstSubscribedAt, timeZone) : "Not known"} />
        </dl>
        {contracts.map((c) => (
          <ContractBlock key={c.contractId} contract={c} currency={s.currency} timeZone={timeZone} />
        ))}
      </BlockStack>
    </Card>
  );
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>
        <Text as="span" tone="subdued">
          {term}
        </Text>
      </dt>
      <dd style={{ margin: 0 }}>
        <Text as="span">{value}</Text>
      </dd>
    </>
  );
}

function ContractBlock({ contract: c, currency, timeZone }: { contract: Contract; currency: string; timeZone: string }) {
  const money = c.currency ?? currency;
  const facts = [
    intervalLabel(c.billingInterval, c.billingIntervalCount),
    c.monthlyValue != null ? `${formatMoney(c.monthlyValue, money)} a month` : null,
    c.nextBillingAt ? `next billing ${formatDate(c.nextBillingAt, timeZone)}` : null,
    c.createdAt ? `since ${formatDate(c.createdAt, timeZone)}` : null,
  ].filter(Boolean);
  return (
    <Box borderBlockStartWidth="025" borderColor="border" paddingBlockStart="300">
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {`Contract ${c.contractId}`}
          </Text>
          <Badge tone={c.status === "active" ? "success" : c.status === "paused" ? "attention" : undefined}>{statusLabel(c.status)}</Badge>
        </InlineStack>
        {facts.length ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {facts.join(" · ")}
          </Text>
        ) : null}
        {c.lines.length ? (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Product", "Quantity", "Price"]}
            rows={c.lines.map((l) => [l.variantTitle ? `${l.title} (${l.variantTitle})` : l.title, l.quantity, formatMoney(l.price, money)])}
          />
        ) : (
          <Text as="p" tone="subdued">
            Products not read from Shopify yet.
          </Text>
        )}
      </BlockStack>
    </Box>
  );
}
