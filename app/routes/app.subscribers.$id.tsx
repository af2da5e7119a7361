import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { subscriberDetail } from "../pages/subscribers/subscribers.server";
import { statusLabel } from "../pages/subscribers/subscribers-options";
import { ContractFacts } from "../pages/subscribers/ContractFacts";
import { HealthCard } from "../pages/subscribers/HealthCard";
import { PlaysCard } from "../pages/subscribers/PlaysCard";
import { ScoreHistoryChart } from "../pages/subscribers/ScoreHistoryChart";
import { TasksCard } from "../pages/subscribers/TasksCard";
import { Timeline } from "../pages/subscribers/Timeline";
import { SubscriberActions } from "../pages/subscribers/SubscriberActions";
import { followUpOf } from "../pages/subscribers/follow-up.server";
import { subscriberAction } from "../pages/at-risk/subscriber-action.server";
import type { ActionData } from "../pages/shared/action-data";
import { EMPTY_IMAGE } from "../pages/shared/emptyImage";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

const paramsSchema = z.object({ id: z.string().trim().min(1).max(100) });

export const handle = pageHandle((data?: { subscriber?: { name?: string } }) => data?.subscriber?.name ?? "Subscriber");
export const meta = pageMeta;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = paramsSchema.safeParse(params);
  // Another shop's subscriber is "not found", exactly like an id that never existed.
  const [detail, followUp] = parsed.success ? await Promise.all([subscriberDetail(session.shop, parsed.data.id), followUpOf(session.shop, parsed.data.id)]) : [null, null];
  if (!detail || !followUp) throw new Response("Not found", { status: 404 });
  return { ...detail, followUp };
};

// The at-risk list's actions (contacted, snooze, dismiss, undo), for the subscriber in the address.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  form.set("subscriberId", params.id ?? "");
  const { status, body } = await subscriberAction(session.shop, form);
  return data<ActionData>(body, { status });
};

export default function SubscriberPage() {
  const d = useLoaderData<typeof loader>();
  const s = d.subscriber;
  const badges = [
    s.status !== "active" ? <Badge key="status" tone={s.status === "cancelled" ? "critical" : undefined}>{statusLabel(s.status)}</Badge> : null,
    s.redacted ? <Badge key="redacted">Personal data erased</Badge> : null,
  ].filter(Boolean);
  return (
    <Page
      backAction={{ content: "Subscribers", url: "/app/subscribers" }}
      title={s.name}
      subtitle={s.email ?? undefined}
      titleMetadata={badges.length ? <>{badges}</> : undefined}
      primaryAction={{ content: "Open in Shopify", url: s.shopifyUrl, target: "_blank", external: true, accessibilityLabel: `Open ${s.name} in Shopify admin` }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <HealthCard health={d.health} status={s.status} cancellation={s.cancellation} timeZone={d.timeZone} />
            <ScoreHistoryChart history={d.history} bandChanges={d.bandChanges} timeZone={d.timeZone} ended={s.status === "cancelled"} />
            <Timeline events={d.events} eventCount={d.eventCount} currency={s.currency} timeZone={d.timeZone} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {s.status === "cancelled" ? null : <SubscriberActions subscriberId={s.id} name={s.name} followUp={d.followUp} timeZone={d.timeZone} />}
            <ContractFacts subscriber={s} contracts={d.contracts} timeZone={d.timeZone} />
            <PlaysCard firings={d.firings} timeZone={d.timeZone} />
            <TasksCard tasks={d.tasks} timeZone={d.timeZone} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A link to a subscriber that is not this store's (or no longer exists) gets a page, not a bare error.
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: "Subscribers", url: "/app/subscribers" }} title="Subscriber not found">
        <Card>
          <EmptyState heading="This subscriber is not in your store" image={EMPTY_IMAGE} action={{ content: "See all subscribers", url: "/app/subscribers" }}>
            <Text as="p">The link may be old, or belong to another store.</Text>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return boundary.error(error);
}
