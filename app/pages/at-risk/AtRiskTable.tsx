import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Button, IndexTable, InlineStack, List, Text, useBreakpoints } from "@shopify/polaris";
import type { AtRiskRow } from "./week-list.server";
import { AtRiskActions } from "./AtRiskActions";
import { BandBadge, bandLabel } from "../shared/BandBadge";
import { CLOSE_REASON_OPTIONS } from "../shared/close-reasons";
import { formatDate, formatMoney } from "../shared/format";

interface Props {
  rows: AtRiskRow[];
  timeZone: string;
  loading: boolean;
  /** Past weeks and the dismissed tab show no actions. */
  readOnly: boolean;
}

/**
 * The week's list. On a phone it condenses to one block a subscriber (name, monthly value,
 * health, the first reason and the primary action) so nothing scrolls sideways.
 */
export function AtRiskTable({ rows, timeZone, loading, readOnly }: Props) {
  const { smDown } = useBreakpoints();
  const headings: [{ title: string }, ...{ title: string; alignment?: "end" }[]] = smDown
    ? [{ title: "Subscriber" }]
    : [
        { title: "#" },
        { title: "Subscriber" },
        { title: "Health" },
        { title: "Monthly value", alignment: "end" },
        { title: "Why, and what to do" },
        { title: "Follow-up" },
        ...(readOnly ? [] : [{ title: "Actions" }]),
      ];
  return (
    <IndexTable
      resourceName={{ singular: "subscriber", plural: "subscribers" }}
      itemCount={rows.length}
      selectable={false}
      loading={loading}
      condensed={smDown}
      headings={headings}
    >
      {rows.map((row, i) =>
        smDown ? (
          <CondensedRow key={row.subscriberId} row={row} index={i} timeZone={timeZone} readOnly={readOnly} />
        ) : (
          <WideRow key={row.subscriberId} row={row} index={i} timeZone={timeZone} readOnly={readOnly} />
        ),
      )}
    </IndexTable>
  );
}

type RowProps = { row: AtRiskRow; index: number; timeZone: string; readOnly: boolean };

function NameLink({ row }: { row: AtRiskRow }) {
  return (
    <RemixLink to={`/app/subscribers/${row.subscriberId}`} style={{ color: "inherit" }}>
      <Text as="span" fontWeight="semibold">
        {row.name}
      </Text>
    </RemixLink>
  );
}

function Money({ row }: { row: AtRiskRow }) {
  return (
    <Text as="span" alignment="end" numeric fontWeight="semibold">
      {formatMoney(row.monthlyValue, row.currency)}
    </Text>
  );
}

function WideRow({ row, index, timeZone, readOnly }: RowProps) {
  return (
    <IndexTable.Row id={row.subscriberId} position={index}>
      <IndexTable.Cell>
        <Text as="span" tone="subdued" numeric>
          {row.rank}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <NameLink row={row} />
          {row.email ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {row.email}
            </Text>
          ) : null}
          <InlineStack gap="100">
            {row.crossedFrom ? <Badge tone="info">{`New this week (was ${bandLabel(row.crossedFrom).toLowerCase()})`}</Badge> : null}
            {row.status === "paused" ? <Badge>Paused</Badge> : null}
            {row.status === "cancelled" ? <Badge tone="critical">Cancelled since</Badge> : null}
          </InlineStack>
          <div>
            <Button size="slim" variant="plain" url={row.shopifyUrl} target="_top" accessibilityLabel={`Open ${row.name} in Shopify`}>
              Open in Shopify
            </Button>
          </div>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Text as="span" variant="headingMd" numeric>
            {row.score ?? "–"}
          </Text>
          <BandBadge band={row.band} />
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Money row={row} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 240, maxWidth: 380, whiteSpace: "normal" }}>
          <BlockStack gap="150">
            {row.reasons.length ? (
              <List type="bullet" gap="extraTight">
                {row.reasons.map((r) => (
                  <List.Item key={r}>{r}</List.Item>
                ))}
              </List>
            ) : (
              <Text as="span" tone="subdued">
                No risk reasons recorded
              </Text>
            )}
            <Text as="span" tone="subdued" variant="bodySm">
              <Text as="span" fontWeight="semibold">
                {row.suggestion.label}
              </Text>
              {`: ${row.suggestion.detail}`}
            </Text>
          </BlockStack>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <FollowUp row={row} timeZone={timeZone} />
      </IndexTable.Cell>
      {readOnly ? null : (
        <IndexTable.Cell>
          <AtRiskActions subscriberId={row.subscriberId} name={row.name} reasons={CLOSE_REASON_OPTIONS} />
        </IndexTable.Cell>
      )}
    </IndexTable.Row>
  );
}

function CondensedRow({ row, index, timeZone, readOnly }: RowProps) {
  return (
    <IndexTable.Row id={row.subscriberId} position={index}>
      <div style={{ padding: "12px 16px", width: "100%", boxSizing: "border-box" }}>
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
            <BlockStack gap="050">
              <NameLink row={row} />
              <InlineStack gap="100" blockAlign="center">
                <BandBadge band={row.band} />
                {row.crossedFrom ? <Badge tone="info">New this week</Badge> : null}
              </InlineStack>
            </BlockStack>
            <Money row={row} />
          </InlineStack>
          {row.reasons[0] ? (
            <Text as="p" tone="subdued" variant="bodySm">
              {row.reasons[0]}
            </Text>
          ) : null}
          <FollowUp row={row} timeZone={timeZone} />
          {readOnly ? null : <AtRiskActions subscriberId={row.subscriberId} name={row.name} reasons={CLOSE_REASON_OPTIONS} compact />}
        </BlockStack>
      </div>
    </IndexTable.Row>
  );
}

/** Where the subscriber stands: dismissed, contacted, their open task and when it is due. */
function FollowUp({ row, timeZone }: { row: AtRiskRow; timeZone: string }) {
  if (row.dismissed) {
    return (
      <BlockStack gap="050">
        <Text as="span">Dismissed: {row.dismissed.label}</Text>
        <Text as="span" tone="subdued" variant="bodySm">
          {formatDate(row.dismissed.at, timeZone)}
        </Text>
      </BlockStack>
    );
  }
  const t = row.task;
  const contacted = row.contactedAt ? <Badge tone="success">{`Contacted ${formatDate(row.contactedAt, timeZone)}`}</Badge> : null;
  if (!t) {
    return (
      contacted ?? (
        <Text as="span" tone="subdued">
          No open task
        </Text>
      )
    );
  }
  return (
    <div style={{ minWidth: 150, whiteSpace: "normal" }}>
      <BlockStack gap="050">
        <Text as="span">{t.title}</Text>
        <InlineStack gap="100">
          {t.overdue ? <Badge tone="critical">Overdue</Badge> : null}
          {t.status === "snoozed" && t.snoozedUntil ? <Badge>{`Snoozed to ${formatDate(t.snoozedUntil, timeZone)}`}</Badge> : null}
          {contacted}
        </InlineStack>
        {!t.overdue && t.status !== "snoozed" ? (
          <Text as="span" tone="subdued" variant="bodySm">
            Due {formatDate(t.dueAt, timeZone)}
          </Text>
        ) : null}
      </BlockStack>
    </div>
  );
}
