import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { deadLetters, inboxSummary, replayDeadLetter } from "../models/inbox.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [summary, dead] = await Promise.all([inboxSummary(session.shop), deadLetters(session.shop)]);
  return { summary, dead };
};

const replaySchema = z.object({ jobId: z.coerce.number().int().positive() });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = replaySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "Choose a failed delivery to replay." };
  const ok = await replayDeadLetter(session.shop, parsed.data.jobId);
  return { ok, message: ok ? "Queued again." : "That delivery is not in the failed list any more." };
};

function Figure({ label, value }: { label: string; value: number | string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { summary, dead } = useLoaderData<typeof loader>();
  const replay = useFetcher<typeof action>();
  return (
    <Page title="Lifeline">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Figure label="Subscribers" value={summary.subscribers.toLocaleString("en-US")} />
            <Figure label="Webhooks received" value={summary.received.toLocaleString("en-US")} />
            <Figure label="Waiting to process" value={summary.waiting.toLocaleString("en-US")} />
            <Figure label="Failed" value={summary.dead.toLocaleString("en-US")} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                History import
              </Text>
              {summary.backfill ? (
                <Text as="p">
                  <Badge tone={summary.backfill.status === "done" ? "success" : "attention"}>{summary.backfill.status}</Badge>{" "}
                  {summary.backfill.count.toLocaleString("en-US")} existing subscription contracts imported.
                </Text>
              ) : (
                <Text as="p">The import of existing subscriptions starts when the app is installed.</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Deliveries that failed
              </Text>
              {dead.length === 0 ? (
                <EmptyState heading="Every webhook was processed" image="">
                  <p>When a delivery keeps failing, it appears here with the reason, ready to replay.</p>
                </EmptyState>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "text"]}
                  headings={["Topic", "Received", "Attempts", "Reason", ""]}
                  rows={dead.map((d) => [
                    d.topic ?? d.queue,
                    d.receivedAt ? new Date(d.receivedAt).toLocaleString("en-US") : "",
                    d.attempts,
                    d.error ?? "",
                    <replay.Form method="post" key={d.jobId}>
                      <input type="hidden" name="jobId" value={d.jobId} />
                      <Button submit accessibilityLabel={`Replay ${d.topic ?? d.queue} delivery`}>
                        Replay
                      </Button>
                    </replay.Form>,
                  ])}
                />
              )}
              {replay.data ? <Text as="p">{replay.data.message}</Text> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
