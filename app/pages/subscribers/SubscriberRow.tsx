import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, IndexTable, InlineStack, Text } from "@shopify/polaris";
import type { SubscriberListRow } from "./list.server";
import { segmentLabel, statusLabel } from "./subscribers-options";
import { BandBadge } from "../shared/BandBadge";
import { formatDate, formatMoney, signed } from "../shared/format";

/** The change since last week in words, for screen readers: "Down 12 points since last week". */
export function changeWords(change: number | null, cancelled: boolean): string {
  if (cancelled) return "Cancelled: no score to compare";
  if (change === null) return "No score last week to compare with";
  if (change === 0) return "No change since last week";
  const n = Math.abs(change);
  return `${change < 0 ? "Down" : "Up"} ${n} ${n === 1 ? "point" : "points"} since last week`;
}

/** Under the Cancelled badge: "Nov 3, 2026: Too much coffee", "Ended Nov 3, 2026", "After failed payments, Nov 3, 2026". */
export function cancelledWords(c: SubscriberListRow["cancellation"], timeZone: string): string {
  if (!c) return "";
  const on = c.at ? formatDate(c.at, timeZone) : "";
  if (c.how === "expired") return on ? `Ended ${on}` : "Ended";
  if (c.how === "failed") return on ? `After failed payments, ${on}` : "After failed payments";
  return [on, c.reason].filter(Boolean).join(": ");
}

export function SubscriberRow({ row, index, timeZone, onOpen }: { row: SubscriberListRow; index: number; timeZone: string; onOpen: () => void }) {
  const cancelled = row.status === "cancelled";
  return (
    <IndexTable.Row id={row.id} position={index} onClick={onOpen}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <RemixLink to={`/app/subscribers/${row.id}`} style={{ color: "inherit", textDecoration: "none" }} data-primary-link>
            <Text as="span" fontWeight="semibold">
              {row.name}
            </Text>
          </RemixLink>
          {row.email ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {row.email}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {cancelled ? (
          <BlockStack gap="050">
            <span>
              <Badge>Cancelled</Badge>
            </span>
            <Text as="span" tone="subdued" variant="bodySm">
              {cancelledWords(row.cancellation, timeZone)}
            </Text>
          </BlockStack>
        ) : (
          <InlineStack gap="200" blockAlign="center" wrap={false}>
            <Text as="span" variant="headingMd" numeric>
              {row.score ?? "–"}
            </Text>
            {row.score == null ? (
              <Text as="span" tone="subdued">
                Not scored yet
              </Text>
            ) : (
              <BandBadge band={row.band} />
            )}
          </InlineStack>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <ChangeCell change={cancelled ? null : row.change} cancelled={cancelled} />
      </IndexTable.Cell>
      <IndexTable.Cell>{segmentLabel(row.segmentKey) || <Text as="span" tone="subdued">–</Text>}</IndexTable.Cell>
      <IndexTable.Cell>{statusLabel(row.status)}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {formatMoney(row.monthlyValue, row.currency)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {row.nextBillingAt ? (
          formatDate(row.nextBillingAt, timeZone)
        ) : (
          <Text as="span" tone="subdued">
            {row.status === "active" ? "Not known yet" : "Not scheduled"}
          </Text>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

function ChangeCell({ change, cancelled }: { change: number | null; cancelled: boolean }) {
  const tone = change == null || change === 0 ? "subdued" : change < 0 ? "critical" : "success";
  return (
    <Text as="span" alignment="end" numeric tone={tone}>
      <span aria-hidden="true">{change == null ? "–" : change === 0 ? "No change" : signed(change)}</span>
      <Text as="span" visuallyHidden>
        {changeWords(change, cancelled)}
      </Text>
    </Text>
  );
}
