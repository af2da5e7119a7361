import { useId, useState } from "react";
import { BlockStack, Button, Card, Collapsible, InlineStack, Text } from "@shopify/polaris";
import type { SubscriberDetail } from "./subscribers.server";
import { eventLabel } from "./subscribers-options";
import { groupTimeline, runLabel } from "./timeline-groups";
import { formatCount, formatDateTime, formatMoney } from "../shared/format";

type TimelineEvent = SubscriberDetail["events"][number];

const FAILURE_CLASSES: Record<string, string> = {
  soft_decline: "Declined; a retry may still go through",
  hard_decline: "The bank refused the card",
  inventory: "Out of stock",
  other: "A problem on the store's side",
};

/** Shopify's error message or code, as words: "EXPIRED_PAYMENT_METHOD" -> "expired payment method". */
function words(text: string): string {
  return text.replace(/_/g, " ").replace(/[.\s]+$/, "").trim();
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

/** The facts an event carries, in a short sentence; empty when it carries none. */
export function eventDetail(e: TimelineEvent, currency: string): string {
  const d = e.data;
  switch (e.type) {
    case "billing.failed": {
      const why = str(d.errorMessage) ?? str(d.errorCode);
      const kind = FAILURE_CLASSES[String(d.failureClass)] ?? "Billing failed";
      return why ? `${kind} (${words(why).toLowerCase()})` : kind;
    }
    case "contract.edited": {
      const from = num(d.fromMonthlyValue);
      const to = num(d.toMonthlyValue);
      return from != null && to != null ? `From ${formatMoney(from, currency)} to ${formatMoney(to, currency)} a month` : "";
    }
    case "cycle.skipped":
    case "cycle.unskipped":
    case "cycle.edited": {
      const cycle = num(d.cycleIndex);
      return cycle != null ? `Billing cycle ${cycle}` : "";
    }
    case "payment_method.added":
    case "payment_method.updated": {
      const month = num(d.cardExpiryMonth);
      const year = num(d.cardExpiryYear);
      return month && year ? `Card expires ${String(month).padStart(2, "0")}/${year}` : "";
    }
    case "ticket.opened":
      return [str(d.ticketSubject), str(d.ticketSource) ? `from ${str(d.ticketSource)}` : null].filter(Boolean).join(", ");
    default:
      return "";
  }
}

const ROW_STYLE = { padding: "8px 0", borderBottom: "1px solid #ebebeb" } as const;
const LIST_STYLE = { listStyle: "none", margin: 0, padding: 0 } as const;

/** What happened to the subscription, newest first; runs of routine events folded into one row each. */
export function Timeline({ events, eventCount, currency, timeZone }: { events: TimelineEvent[]; eventCount: number; currency: string; timeZone: string }) {
  const items = groupTimeline(events);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="baseline">
          <Text as="h2" variant="headingMd">
            Timeline
          </Text>
          {eventCount > events.length ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {`Latest ${formatCount(events.length)} of ${formatCount(eventCount)} events`}
            </Text>
          ) : null}
        </InlineStack>
        {events.length === 0 ? (
          <Text as="p" tone="subdued">
            Nothing has happened on their subscriptions yet.
          </Text>
        ) : (
          <ol style={LIST_STYLE} aria-label="Timeline, newest first">
            {items.map((item) =>
              item.kind === "event" ? (
                <li key={item.event.id} style={ROW_STYLE}>
                  <EventRow event={item.event} currency={currency} timeZone={timeZone} />
                </li>
              ) : (
                <li key={`run-${item.events[0].id}`} style={ROW_STYLE}>
                  <RunRow events={item.events} type={item.type} currency={currency} timeZone={timeZone} />
                </li>
              ),
            )}
          </ol>
        )}
      </BlockStack>
    </Card>
  );
}

function EventRow({ event: e, currency, timeZone }: { event: TimelineEvent; currency: string; timeZone: string }) {
  const detail = eventDetail(e, currency);
  return (
    <InlineStack align="space-between" gap="300" wrap={false} blockAlign="start">
      <BlockStack gap="050">
        <Text as="span" fontWeight="medium" tone={e.type === "billing.failed" || e.type === "contract.cancelled" ? "critical" : undefined}>
          {eventLabel(e.type)}
        </Text>
        {detail ? (
          <Text as="span" tone="subdued" variant="bodySm">
            {detail}
          </Text>
        ) : null}
      </BlockStack>
      <Text as="span" tone="subdued" variant="bodySm">
        <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt, timeZone)}</time>
      </Text>
    </InlineStack>
  );
}

/** "12 payments went through, Jan–Nov 2026", opening to each of them. */
function RunRow({ events, type, currency, timeZone }: { events: TimelineEvent[]; type: string; currency: string; timeZone: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const label = runLabel({ type, events }, timeZone);
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" gap="300" wrap={false} blockAlign="center">
        <Text as="span" fontWeight="medium">
          {label}
        </Text>
        <Button
          variant="plain"
          disclosure={open ? "up" : "down"}
          onClick={() => setOpen(!open)}
          ariaExpanded={open}
          ariaControls={id}
          accessibilityLabel={`${open ? "Hide" : "Show"} each: ${label}`}
        >
          {open ? "Hide" : "Show each"}
        </Button>
      </InlineStack>
      <Collapsible id={id} open={open} transition={false}>
        <ol style={{ ...LIST_STYLE, paddingInlineStart: 16 }}>
          {events.map((e) => (
            <li key={e.id} style={{ padding: "4px 0" }}>
              <EventRow event={e} currency={currency} timeZone={timeZone} />
            </li>
          ))}
        </ol>
      </Collapsible>
    </BlockStack>
  );
}
