import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, InlineStack, List, ProgressBar, Select, Text } from "@shopify/polaris";
import { formatCount, formatDateTime } from "../shared/format";
import { useToast } from "../shared/useToast";
import { SUBSCRIPTION_APPS, subscriptionAppById } from "../settings/sources-options";
import { SUBSCRIPTION_APP_STEP, quietChecks, sourceSteps, type OnboardingState, type Step } from "./source-steps";

export type { OnboardingState } from "./source-steps";

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
  onboarding?: OnboardingState;
}

export function setupSteps(s: SetupState): Step[] {
  const app = subscriptionAppById(s.onboarding?.subscriptionApp);
  const backfillDetail =
    s.backfill.status === "done"
      ? s.backfill.count === 0 && app
        ? `Shopify lists no subscription contracts Lifeline can read itself: your subscribers come from ${app.name}.`
        : `${formatCount(s.backfill.count)} existing subscription contracts imported.`
      : s.backfill.status === "failed"
        ? `The import stopped after ${formatCount(s.backfill.count)} contracts and was not retried further: ${s.backfill.reason ?? "unknown error"}. New subscriptions still arrive as they happen.`
        : s.backfill.status === "running"
          ? `Importing your existing subscriptions: ${formatCount(s.backfill.count)} so far.`
          : "The import of your existing subscriptions starts in a moment.";
  return [
    ...(s.onboarding ? sourceSteps(s.onboarding) : []),
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

function NoRecentEvents({ o }: { o: OnboardingState }) {
  const last = o.recentEvents.lastAt ? `The last one arrived ${formatDateTime(o.recentEvents.lastAt, o.timeZone)}.` : "None has arrived yet.";
  return (
    <Banner tone="warning" title="No subscription events have reached Lifeline in the last 24 hours">
      <BlockStack gap="200">
        <p>{last} Until they do, the figures below show your subscribers as they were, not as they are now. What to check:</p>
        <List type="bullet">
          {quietChecks(o).map((c) => (
            <List.Item key={c}>{c}</List.Item>
          ))}
        </List>
      </BlockStack>
    </Banner>
  );
}

/** The first-run question, posted to the settings route (where the subscription app is kept). */
function ChooseApp({ current }: { current: string | null }) {
  const save = useFetcher<{ ok: boolean; message?: string; error?: string; at: number }>();
  const [app, setApp] = useState(current ?? "");
  const [open, setOpen] = useState(current == null);
  const result = save.state === "idle" ? save.data : undefined;
  useToast(result?.ok ? result.message : result?.error, { isError: result ? !result.ok : false, key: result?.at });
  useEffect(() => {
    if (result?.ok) setOpen(false);
  }, [result]);
  if (!open) {
    return (
      <InlineStack align="start">
        <Button onClick={() => setOpen(true)}>Change</Button>
      </InlineStack>
    );
  }
  return (
    <save.Form method="post" action="/app/settings">
      <input type="hidden" name="intent" value="subscription-app" />
      <InlineStack gap="200" align="start" blockAlign="end" wrap>
        <Box minWidth="240px">
          <Select
            label="Subscription app"
            name="app"
            options={[{ label: "Choose…", value: "" }, ...SUBSCRIPTION_APPS.map((a) => ({ label: a.name, value: a.id }))]}
            value={app}
            onChange={setApp}
            error={result && !result.ok ? result.error : undefined}
          />
        </Box>
        <Button submit loading={save.state !== "idle"} disabled={app === ""}>
          Save
        </Button>
      </InlineStack>
    </save.Form>
  );
}

/** A new install's first steps, hidden once every step is done; and, always, a plain warning when no events arrived for a day. */
export function SetupChecklist(state: SetupState) {
  const steps = setupSteps(state);
  const retry = useFetcher<{ ok: boolean; message: string; at: number }>();
  const result = retry.state === "idle" ? retry.data : undefined;
  useToast(result?.message, { isError: result ? !result.ok : false, key: result?.at });
  const done = steps.filter((s) => s.done).length;
  const quiet = state.onboarding && state.onboarding.recentEvents.count === 0 ? <NoRecentEvents o={state.onboarding} /> : null;
  if (done === steps.length) return quiet;
  const scoring = state.scoring?.status === "running" ? state.scoring : null;
  return (
    <BlockStack gap="400">
      {quiet}
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
                  {step.points ? (
                    <List type="bullet">
                      {step.points.map((line) => (
                        <List.Item key={line}>{line}</List.Item>
                      ))}
                    </List>
                  ) : null}
                  {step.list ? (
                    <List type="number">
                      {step.list.map((line) => (
                        <List.Item key={line}>{line}</List.Item>
                      ))}
                    </List>
                  ) : null}
                  {step.note ? <Text as="p">{step.note}</Text> : null}
                  {step.id === SUBSCRIPTION_APP_STEP ? <ChooseApp current={state.onboarding?.subscriptionApp ?? null} /> : null}
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
    </BlockStack>
  );
}
