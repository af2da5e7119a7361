import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { BlockStack, Box, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { playbookPage, sendPlaybookTestEvents, setTriggerEnabled } from "../pages/playbook/playbook-list.server";
import { TriggerRow } from "../pages/playbook/TriggerRow";
import { firingWindowsNote } from "../pages/playbook/firing-windows";
import { TestEventsCard, type TestEventsData } from "../pages/playbook/TestEventsCard";
import { EMPTY_IMAGE } from "../pages/shared/emptyImage";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("Playbook");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return playbookPage(session.shop, new Date());
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("toggle"),
    key: z.string().min(1, "Choose a trigger."),
    enabled: z.enum(["true", "false"], { errorMap: () => ({ message: "Say whether the trigger should be on or off." }) }),
  }),
  z.object({ intent: z.literal("test-events"), email: z.string().default("") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  const at = Date.now();
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = issue.path[0] === "intent" ? "Choose what to do: switch a trigger on or off, or send test events." : issue.message;
    return data<TestEventsData>({ ok: false, error, at }, { status: 400 });
  }
  const input = parsed.data;
  const result =
    input.intent === "toggle"
      ? await setTriggerEnabled(session.shop, input.key, input.enabled === "true")
      : await sendPlaybookTestEvents(session.shop, input.email);
  if (!result.ok) {
    const notConnected = "notConnected" in result && result.notConnected === true;
    return data<TestEventsData>({ ok: false, error: result.error, notConnected, at }, { status: result.status });
  }
  return data<TestEventsData>({ ok: true, message: result.message, at });
};

export default function Playbook() {
  const page = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [testing, setTesting] = useState(false);
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/playbook";
  const on = page.rows.filter((r) => r.enabled).length;
  const windows = firingWindowsNote(new Date(page.now), page.firstFiredAt ? new Date(page.firstFiredAt) : null, page.timeZone);

  return (
    <Page
      fullWidth
      title="Playbook"
      subtitle="What Lifeline does when a subscriber's situation changes: the Klaviyo flow it starts or the task it gives your team, and how each one is doing."
      primaryAction={{ content: "New trigger", url: "/app/playbook/new" }}
      secondaryActions={[{ content: "Send test events to Klaviyo", onAction: () => setTesting(true), disabled: testing }]}
    >
      <Layout>
        {testing ? (
          <Layout.Section>
            <TestEventsCard connected={page.klaviyo.connected} accountName={page.klaviyo.accountName} onClose={() => setTesting(false)} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="0">
              <Box padding="400">
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    {`${on} of ${page.rows.length} triggers on. Firings are counted over the last 30 and 90 days by when they happened; the other figures over every firing so far.${windows ? ` ${windows}` : ""}`}
                  </Text>
                  <Text as="p" tone="subdued">
                    Acted on: the task was worked, or for a trigger without a task, its Klaviyo event was delivered. Outcomes are read when each
                    firing's outcome window closes. Held out: firings that got no play, so the difference a play makes can be measured.
                  </Text>
                </BlockStack>
              </Box>
              {page.rows.length === 0 ? (
                <EmptyState heading="No triggers yet" image={EMPTY_IMAGE} action={{ content: "New trigger", url: "/app/playbook/new" }}>
                  <p>Triggers watch for moments like a second skip or a failed payment and start a play.</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "trigger", plural: "triggers" }}
                  itemCount={page.rows.length}
                  selectable={false}
                  loading={loading}
                  headings={[
                    { title: "On" },
                    { title: "Trigger" },
                    { title: "Play" },
                    { title: "Owner and priority" },
                    { title: "Firings 30 / 90 days", alignment: "end" },
                    { title: "Acted on" },
                    { title: "Good outcome after action" },
                    { title: "False positives" },
                    { title: "Holdout and lift" },
                  ]}
                >
                  {page.rows.map((row, i) => (
                    <TriggerRow key={row.key} row={row} index={i} timeZone={page.timeZone} />
                  ))}
                </IndexTable>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
