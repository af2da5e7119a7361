import { Badge, BlockStack, Box, Card, InlineStack, Link, Text } from "@shopify/polaris";
import type { SubscriberDetail } from "./subscribers.server";
import { formatDate } from "../shared/format";
import { closeReasonLabel } from "../shared/close-reasons";

type Task = SubscriberDetail["tasks"][number];

function statusBadge(t: Task, timeZone: string) {
  if (t.status === "done") return <Badge tone="success">Done</Badge>;
  if (t.overdue) return <Badge tone="critical">Overdue</Badge>;
  if (t.status === "snoozed" && t.snoozedUntil) return <Badge>{`Snoozed to ${formatDate(t.snoozedUntil, timeZone)}`}</Badge>;
  return <Badge tone="attention">Open</Badge>;
}

/** The merchant's tasks about this subscriber, newest first; they are worked in the task inbox. */
export function TasksCard({ tasks, timeZone }: { tasks: Task[]; timeZone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="baseline">
          <Text as="h2" variant="headingMd">
            Tasks
          </Text>
          <Link url="/app/tasks">Open the task inbox</Link>
        </InlineStack>
        {tasks.length === 0 ? (
          <Text as="p" tone="subdued">
            No task about this subscriber.
          </Text>
        ) : (
          tasks.map((t) => (
            <Box key={t.id} borderBlockStartWidth="025" borderColor="border" paddingBlockStart="300">
              <BlockStack gap="100">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {t.title}
                  </Text>
                  {statusBadge(t, timeZone)}
                </InlineStack>
                <Text as="p">{t.suggestedAction}</Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  {t.status === "done"
                    ? `Closed ${formatDate(t.closedAt, timeZone)}${t.closeReason ? `: ${closeReasonLabel(t.closeReason)}` : ""}`
                    : `Due ${formatDate(t.dueAt, timeZone)} · ${t.owner} · ${t.priority} priority`}
                </Text>
                {t.note ? (
                  <Text as="p" tone="subdued" variant="bodySm">
                    Note: {t.note}
                  </Text>
                ) : null}
              </BlockStack>
            </Box>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
