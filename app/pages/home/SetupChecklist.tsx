import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, Divider, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { formatCount } from "../shared/format";
import { useToast } from "../shared/useToast";

/** The form field the home route's action reads to re-queue a failed import. */
export const RETRY_BACKFILL_INTENT = "retry-backfill";

export interface SetupState {
  /** `reason`: why the import failed for good, when it did. */
  backfill: { status: string; count: number; reason?: string };
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
  failed?: boolean;
  /** A link to the page where the step is done, or a form posted to the home route. */
  action?: { label: string; url: string } | { label: string; intent: string };
}

export function setupSteps(s: SetupState): Step[] {
  const backfillDetail =
    s.backfill.status === "done"
      ? `${formatCount(s.backfill.count)} existing subscription contracts imported.`
      : s.backfill.status === "failed"
        ? `The import stopped after ${formatCount(s.backfill.count)} contracts and was not retried further: ${s.backfill.reason ?? "unknown error"}. New subscriptions still arrive as they happen.`
        : s.backfill.status === "running"
          ? `Importing your existing subscriptions: ${formatCount(s.backfill.count)} so far.`
          : "The import of your existing subscriptions starts in a moment.";
  return [
    {
      id: "backfill",
      title: "Import your subscribers",
      detail: backfillDetail,
      done: s.backfill.status === "done",
      failed: s.backfill.status === "failed",
      ...(s.backfill.status === "failed" ? { action: { label: "Retry import", intent: RETRY_BACKFILL_INTENT } } : {}),
    },
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
  const retry = useFetcher<{ ok: boolean; message: string; at: number }>();
  const result = retry.state === "idle" ? retry.data : undefined;
  useToast(result?.message, { isError: result ? !result.ok : false, key: result?.at });
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
                  {step.done ? <Badge tone="success">Done</Badge> : step.failed ? <Badge tone="critical">Failed</Badge> : <Badge>To do</Badge>}
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
              {step.action && !step.done ? (
                "url" in step.action ? (
                  <Button url={step.action.url}>{step.action.label}</Button>
                ) : (
                  <retry.Form method="post">
                    <input type="hidden" name="intent" value={step.action.intent} />
                    <Button submit loading={retry.state !== "idle"}>
                      {step.action.label}
                    </Button>
                  </retry.Form>
                )
              ) : null}
            </InlineStack>
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
