import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { formatCount, formatMoneyTotals } from "../shared/format";

interface Props {
  currency: string;
  revenueAtRisk: { monthly: Record<string, number>; subscribers: number };
  tasks: { open: number; overdue: number };
  plays: { sentThisWeek: number; heldOutThisWeek: number; failed: number };
}

function Figure({ title, value, children, action }: { title: string; value: string; children: React.ReactNode; action: { label: string; url: string } }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {children}
        <InlineStack>
          <Button variant="plain" url={action.url}>
            {action.label}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

/** The three numbers a merchant acts on: what is at stake, what is waiting for them, what the playbook did. */
export function KeyFigures({ currency, revenueAtRisk, tasks, plays }: Props) {
  const people = (n: number) => `${formatCount(n)} ${n === 1 ? "subscriber" : "subscribers"}`;
  return (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
      <Figure title="Monthly revenue at risk" value={formatMoneyTotals(revenueAtRisk.monthly, currency)} action={{ label: "Review this week's list", url: "/app/at-risk" }}>
        <Text as="p" tone="subdued">
          {people(revenueAtRisk.subscribers)} at risk or critical this week
        </Text>
      </Figure>
      <Figure title="Open tasks" value={formatCount(tasks.open)} action={{ label: "Open the task list", url: "/app/tasks" }}>
        <InlineStack gap="200" blockAlign="center">
          {tasks.overdue > 0 ? <Badge tone="critical">{`${formatCount(tasks.overdue)} overdue`}</Badge> : <Text as="span" tone="subdued">None overdue</Text>}
        </InlineStack>
      </Figure>
      <Figure title="Plays sent this week" value={formatCount(plays.sentThisWeek)} action={{ label: "See the playbook", url: "/app/playbook" }}>
        <BlockStack gap="100">
          <Text as="p" tone="subdued">
            {people(plays.heldOutThisWeek)} held out to measure what the plays change
          </Text>
          {plays.failed > 0 ? <Badge tone="critical">{`${formatCount(plays.failed)} could not be delivered to Klaviyo`}</Badge> : null}
        </BlockStack>
      </Figure>
    </InlineGrid>
  );
}
