import { Badge, BlockStack, Box, Button, Card, Divider, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { formatCount } from "../format";

export interface SetupState {
  backfill: { status: string; count: number };
  /** The first scoring of the imported subscribers, while it runs. */
  scoring: { status: string; total: number; done: number } | null;
  klaviyoConnected: boolean;
  eventsReachedKlaviyo: boolean;
  playbookReviewed: boolean;
}

interface Step {
  id: string;
  title: string;
  detail: string;
  done: boolean;
  action?: { label: string; url: string };
}

export function setupSteps(s: SetupState): Step[] {
  const backfillDetail =
    s.backfill.status === "done"
      ? `${formatCount(s.backfill.count)} existing subscription contracts imported.`
      : s.backfill.status === "failed"
        ? "The import stopped on an error; it is retried automatically. New subscriptions still arrive as they happen."
        : s.backfill.status === "running"
          ? `Importing your existing subscriptions: ${formatCount(s.backfill.count)} so far.`
          : "The import of your existing subscriptions starts in a moment.";
  return [
    { id: "backfill", title: "Import your subscribers", detail: backfillDetail, done: s.backfill.status === "done" },
    {
      id: "klaviyo",
      title: "Connect Klaviyo",
      detail: "Plays reach your subscribers as Klaviyo events that start your flows.",
      done: s.klaviyoConnected,
      action: { label: "Connect Klaviyo", url: "/app/settings" },
    },
    {
      id: "events",
      title: "Send test events",
      detail: "Send one of each Lifeline event to Klaviyo so you can build flows on them.",
      done: s.eventsReachedKlaviyo,
      action: { label: "Send test events", url: "/app/playbook" },
    },
    {
      id: "playbook",
      title: "Review the default playbook",
      detail: "Check which triggers send plays and create tasks, and switch off what does not fit your store.",
      done: s.playbookReviewed,
      action: { label: "Review the playbook", url: "/app/playbook" },
    },
  ];
}

/** A new install's first steps; hidden once every step is done. */
export function SetupChecklist(state: SetupState) {
  const steps = setupSteps(state);
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  const scoring = state.scoring?.status === "running" ? state.scoring : null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Set up Lifeline
          </Text>
          <Text as="span" tone="subdued">
            {done} of {steps.length} done
          </Text>
        </InlineStack>
        <ProgressBar progress={(done / steps.length) * 100} size="small" tone="success" ariaLabelledBy="setup-progress" />
        <span id="setup-progress" hidden>
          Set-up progress
        </span>
        {steps.map((step, i) => (
          <BlockStack key={step.id} gap="300">
            {i > 0 ? <Divider /> : null}
            <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
              <BlockStack gap="100">
                {/* align is explicit: an InlineStack inherits its parent's alignment otherwise. */}
                <InlineStack gap="200" align="start" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {step.title}
                  </Text>
                  {step.done ? <Badge tone="success">Done</Badge> : <Badge>To do</Badge>}
                </InlineStack>
                <Text as="p" tone="subdued">
                  {step.detail}
                </Text>
                {step.id === "backfill" && scoring ? (
                  <Box maxWidth="360px">
                    <BlockStack gap="100">
                      <Text as="p" variant="bodySm">
                        Scoring {formatCount(scoring.done)} of {formatCount(scoring.total)} subscribers
                      </Text>
                      <ProgressBar progress={scoring.total ? (scoring.done / scoring.total) * 100 : 0} size="small" />
                    </BlockStack>
                  </Box>
                ) : null}
              </BlockStack>
              {step.action && !step.done ? <Button url={step.action.url}>{step.action.label}</Button> : null}
            </InlineStack>
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
