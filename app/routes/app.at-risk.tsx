import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { BlockStack, Box, Card, EmptyState, InlineStack, Layout, Link, Page, Select, Tabs, Text } from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { AT_RISK_VIEWS, PAGE_LIMIT, type AtRiskView } from "../pages/at-risk/at-risk-options";
import { subscriberAction } from "../pages/at-risk/subscriber-action.server";
import { parseAtRiskQuery, weeklyAtRisk } from "../pages/at-risk/week-list.server";
import { AT_RISK_ACTION_KEY } from "../pages/at-risk/AtRiskActions";
import type { ActionData } from "../pages/shared/action-data";
import { AtRiskTable } from "../pages/at-risk/AtRiskTable";
import { formatCount, formatMoneyTotals, weekLabel, weekLabelLong } from "../pages/shared/format";
import { useToast } from "../pages/shared/useToast";
import { EMPTY_IMAGE } from "../pages/shared/emptyImage";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("At-risk this week");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return weeklyAtRisk(session.shop, parseAtRiskQuery(new URL(request.url).searchParams));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { status, body } = await subscriberAction(session.shop, await request.formData());
  return data<ActionData>(body, { status });
};

const VIEW_LABELS: Record<AtRiskView, string> = { review: "To review", snoozed: "Snoozed", dismissed: "Dismissed", recovered: "Recovered" };

export default function AtRisk() {
  const list = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const [exporting, setExporting] = useState<string | null>(null);
  // Row actions answer here: the row may have left the list by the time they do.
  const rowAction = useFetcher<ActionData>({ key: AT_RISK_ACTION_KEY });
  const answered = rowAction.state === "idle" ? rowAction.data : undefined;
  const undo = answered?.ok && answered.undo ? { subscriberId: answered.subscriberId!, undo: JSON.stringify(answered.undo) } : null;
  useToast(answered?.ok ? answered.message : answered?.error, {
    isError: answered ? !answered.ok : false,
    key: answered?.at,
    action: undo ? { content: "Undo", onAction: () => rowAction.submit({ intent: "undo", ...undo }, { method: "post" }) } : undefined,
  });
  useToast(exporting, { key: exporting, isError: true });
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/at-risk";
  const tz = list.timeZone;

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === "week") next.delete("view");
    setSearchParams(next);
  };

  // The download goes through fetch so that it carries the session token, like every request to the app.
  const exportCsv = async () => {
    const query = new URLSearchParams({ week: list.week.key, ...(list.isCurrentWeek ? { view: list.view } : {}) });
    try {
      const response = await fetch(`/app/at-risk.csv?${query}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "at-risk.csv";
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setExporting(`The CSV could not be downloaded (${error instanceof Error ? error.message : "error"}); try again.`);
    }
  };

  const weekOptions = list.weeks.map((key) => ({
    value: key,
    label: key === list.currentWeekKey ? `This week (from ${weekLabel(key)})` : `Week of ${weekLabelLong(key)}`,
  }));
  const tabs = AT_RISK_VIEWS.map((v) => ({ id: v, content: `${VIEW_LABELS[v]} (${formatCount(list.counts[v])})`, panelID: `at-risk-${v}` }));

  const title = list.isCurrentWeek ? "At-risk this week" : `At-risk: week of ${weekLabelLong(list.week.key)}`;
  return (
    <Page
      fullWidth
      title={title}
      subtitle="Subscribers at risk or critical, or newly so this week, ranked by the monthly revenue that leaves with them."
      primaryAction={{ content: "Export CSV", onAction: exportCsv, disabled: list.total === 0, accessibilityLabel: "Export this list as CSV" }}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <InlineStack gap="400" align="space-between" blockAlign="end" wrap>
                <Box minWidth="260px">
                  <Select label="Week" options={weekOptions} value={list.week.key} onChange={(v) => setParam("week", v === list.currentWeekKey ? null : v)} />
                </Box>
                <BlockStack gap="100" inlineAlign="end">
                  <Text as="p" variant="headingLg">
                    {formatMoneyTotals(list.totals, list.currency)}
                    <Text as="span" variant="bodyMd" tone="subdued">
                      {" "}
                      {list.view === "recovered" ? "a month back to health" : "a month at risk"}
                    </Text>
                  </Text>
                  <Text as="p" tone="subdued">
                    {formatCount(list.total)} {list.total === 1 ? "subscriber" : "subscribers"}
                    {list.total > list.rows.length ? `; the ${PAGE_LIMIT} with the most revenue shown, all in the CSV` : ""}
                  </Text>
                </BlockStack>
              </InlineStack>
            </Box>
            {list.isCurrentWeek ? (
              <Tabs
                tabs={tabs}
                selected={AT_RISK_VIEWS.indexOf(list.view)}
                onSelect={(i) => setParam("view", AT_RISK_VIEWS[i] === "review" ? null : AT_RISK_VIEWS[i])}
              />
            ) : (
              <Box paddingInline="400" paddingBlockEnd="300">
                <Text as="p" tone="subdued">
                  A past week, as its weekly snapshots scored it. Reasons and values are as they are now; actions apply to the current week.
                </Text>
              </Box>
            )}
            {list.rows.length === 0 ? (
              <EmptyList view={list.view} isCurrentWeek={list.isCurrentWeek} />
            ) : (
              <AtRiskTable rows={list.rows} timeZone={tz} loading={loading} readOnly={!list.isCurrentWeek || list.view === "dismissed" || list.view === "recovered"} />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function EmptyList({ view, isCurrentWeek }: { view: AtRiskView; isCurrentWeek: boolean }) {
  const copy =
    view === "snoozed"
      ? { heading: "Nobody is snoozed", body: "Snooze a subscriber to take them off the list for 7 days." }
      : view === "dismissed"
        ? { heading: "Nobody dismissed this week", body: "Subscribers you dismiss, with the reason, are listed here until the week ends." }
        : view === "recovered"
          ? { heading: "Nobody recovered this week yet", body: "Subscribers who became at risk this week and are back to healthy or watch are listed here." }
        : isCurrentWeek
          ? { heading: "No one is at risk this week", body: "When a subscriber's health drops to at risk or critical, they appear here with the reasons and what to do." }
          : { heading: "No one was at risk that week", body: "No weekly snapshot that week was at risk or critical." };
  return (
    <EmptyState heading={copy.heading} image={EMPTY_IMAGE}>
      <p>{copy.body}</p>
      {view === "review" && isCurrentWeek ? (
        <p>
          <Link url="/app/subscribers">See every subscriber</Link>
        </p>
      ) : null}
    </EmptyState>
  );
}
