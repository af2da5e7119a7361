import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { AtRiskActions } from "../at-risk/AtRiskActions";
import type { ActionData } from "../shared/action-data";
import { CLOSE_REASON_OPTIONS } from "../shared/close-reasons";
import { formatDate } from "../shared/format";
import { useToast } from "../shared/useToast";
import type { FollowUp } from "./follow-up.server";

const KEY = "subscriber-action";

/** The at-risk list's actions for this one subscriber: contacted, snooze a week, dismiss for this week. */
export function SubscriberActions({ subscriberId, name, followUp, timeZone }: { subscriberId: string; name: string; followUp: FollowUp; timeZone: string }) {
  const fetcher = useFetcher<ActionData>({ key: KEY });
  const answered = fetcher.state === "idle" ? fetcher.data : undefined;
  const undo = answered?.ok && answered.undo ? JSON.stringify(answered.undo) : null;
  useToast(answered?.ok ? answered.message : answered?.error, {
    isError: answered ? !answered.ok : false,
    key: answered?.at,
    action: undo ? { content: "Undo", onAction: () => fetcher.submit({ intent: "undo", subscriberId, undo }, { method: "post" }) } : undefined,
  });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Follow-up
        </Text>
        <InlineStack gap="100">
          {followUp.contactedAt ? <Badge tone="success">{`Contacted ${formatDate(followUp.contactedAt, timeZone)}`}</Badge> : null}
          {followUp.snoozedUntil ? <Badge>{`Snoozed to ${formatDate(followUp.snoozedUntil, timeZone)}`}</Badge> : null}
          {followUp.openTasks > 0 ? <Badge tone="attention">{followUp.openTasks === 1 ? "1 open task" : `${followUp.openTasks} open tasks`}</Badge> : null}
        </InlineStack>
        <AtRiskActions subscriberId={subscriberId} name={name} reasons={CLOSE_REASON_OPTIONS} fetcherKey={KEY} />
      </BlockStack>
    </Card>
  );
}
