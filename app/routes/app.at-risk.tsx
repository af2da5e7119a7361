import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  List,
  Page,
  Select,
  Tabs,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { CLOSE_REASONS } from "../playbook/tasks";
import { AT_RISK_VIEWS, DISMISS_REASONS, PAGE_LIMIT, type AtRiskView } from "../pages/at-risk/at-risk-options";
import { dismissSubscriber, markSubscriberContacted, snoozeSubscriber } from "../pages/at-risk/row-actions.server";
import { parseAtRiskQuery, weeklyAtRisk, type AtRiskRow } from "../pages/at-risk/week-list.server";
import { AT_RISK_ACTION_KEY, AtRiskActions, type ActionData } from "../pages/at-risk/AtRiskActions";
import { BandBadge, bandLabel } from "../pages/shared/BandBadge";
import { formatCount, formatDate, formatMoney, weekLabel, weekLabelLong } from "../pages/shared/format";
import { useToast } from "../pages/shared/useToast";
import { EMPTY_IMAGE } from "../pages/shared/emptyImage";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("At-risk this week");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return weeklyAtRisk(session.shop, parseAtRiskQuery(new URL(request.url).searchParams));
};

const subscriberId = z.string({ required_error: "Choose a subscriber." }).min(1, "Choose a subscriber.");
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("contacted"), subscriberId }),
  z.object({ intent: z.literal("snooze"), subscriberId }),
  z.object({
    intent: z.literal("dismiss"),
    subscriberId,
    reason: z.enum(CLOSE_REASONS, { errorMap: () => ({ message: "Choose why you are taking them off the list." }) }),
    note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
  }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(form);
  const at = Date.now();
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    const error = fieldErrors.intent ? "Choose what to do: contacted, snooze or dismiss." : Object.values(fieldErrors)[0];
    const subscriberId = typeof form.subscriberId === "string" ? form.subscriberId : undefined;
    return data<ActionData>({ ok: false, subscriberId, error, fieldErrors, at }, { status: 400 });
  }
  const input = parsed.data;
  const result =
    input.intent === "contacted"
      ? await markSubscriberContacted(session.shop, input.subscriberId)
      : input.intent === "snooze"
        ? await snoozeSubscriber(session.shop, input.subscriberId)
        : await dismissSubscriber(session.shop, input.subscriberId, { reason: input.reason, note: input.note || null });
  if (!result.ok) return data<ActionData>({ ok: false, subscriberId: input.subscriberId, error: result.error, at }, { status: result.status });
  return data<ActionData>({ ok: true, subscriberId: input.subscriberId, message: result.message, at });
};

const VIEW_LABELS: Record<AtRiskView, string> = { review: "To review", snoozed: "Snoozed", dismissed: "Dismissed" };

export default function AtRisk() {
  const list = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const [exporting, setExporting] = useState<string | null>(null);
  // Row actions answer here: the row may have left the list by the time they do.
  const rowAction = useFetcher<ActionData>({ key: AT_RISK_ACTION_KEY });
  const answered = rowAction.state === "idle" ? rowAction.data : undefined;
  useToast(answered?.ok ? answered.message : answered?.error, { isError: answered ? !answered.ok : false, key: answered?.at });
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
                    {formatMoney(list.totalMonthlyValue, list.currency)}
                    <Text as="span" variant="bodyMd" tone="subdued">
                      {" "}
                      a month at risk
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
              <IndexTable
                resourceName={{ singular: "subscriber", plural: "subscribers" }}
                itemCount={list.rows.length}
                selectable={false}
                loading={loading}
                headings={[
                  { title: "#" },
                  { title: "Subscriber" },
                  { title: "Health" },
                  { title: "Monthly value", alignment: "end" },
                  { title: "Why" },
                  { title: "Suggested play" },
                  { title: "Task" },
                  { title: "Actions" },
                ]}
              >
                {list.rows.map((row, i) => (
                  <AtRiskTableRow key={row.subscriberId} row={row} index={i} timeZone={tz} readOnly={!list.isCurrentWeek || list.view === "dismissed"} />
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function AtRiskTableRow({ row, index, timeZone, readOnly }: { row: AtRiskRow; index: number; timeZone: string; readOnly: boolean }) {
  return (
    <IndexTable.Row id={row.subscriberId} position={index}>
      <IndexTable.Cell>
        <Text as="span" tone="subdued" numeric>
          {row.rank}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <RemixLink to={`/app/subscribers/${row.subscriberId}`} style={{ color: "inherit" }}>
            <Text as="span" fontWeight="semibold">
              {row.name}
            </Text>
          </RemixLink>
          {row.email ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {row.email}
            </Text>
          ) : null}
          <InlineStack gap="100">
            {row.crossedFrom ? <Badge tone="info">{`New this week (was ${bandLabel(row.crossedFrom).toLowerCase()})`}</Badge> : null}
            {row.status === "paused" ? <Badge>Paused</Badge> : null}
            {row.status === "cancelled" ? <Badge tone="critical">Cancelled since</Badge> : null}
          </InlineStack>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Text as="span" variant="headingMd" numeric>
            {row.score ?? "–"}
          </Text>
          <BandBadge band={row.band} />
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric fontWeight="semibold">
          {formatMoney(row.monthlyValue, row.currency)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 220, maxWidth: 340, whiteSpace: "normal" }}>
          {row.reasons.length ? (
            <List type="bullet" gap="extraTight">
              {row.reasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          ) : (
            <Text as="span" tone="subdued">
              No risk reasons recorded
            </Text>
          )}
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 180, maxWidth: 260, whiteSpace: "normal" }}>
          <BlockStack gap="050">
            <Text as="span" fontWeight="semibold">
              {row.suggestion.label}
            </Text>
            <Text as="span" tone="subdued" variant="bodySm">
              {row.suggestion.detail}
            </Text>
          </BlockStack>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <TaskCell row={row} timeZone={timeZone} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <AtRiskActions subscriberId={row.subscriberId} name={row.name} shopifyUrl={row.shopifyUrl} reasons={DISMISS_REASONS} readOnly={readOnly} />
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

function TaskCell({ row, timeZone }: { row: AtRiskRow; timeZone: string }) {
  if (row.dismissed) {
    return (
      <BlockStack gap="050">
        <Text as="span">Dismissed: {row.dismissed.label}</Text>
        <Text as="span" tone="subdued" variant="bodySm">
          {formatDate(row.dismissed.at, timeZone)}
        </Text>
      </BlockStack>
    );
  }
  if (!row.task) {
    return (
      <Text as="span" tone="subdued">
        No open task
      </Text>
    );
  }
  const t = row.task;
  return (
    <div style={{ minWidth: 150, whiteSpace: "normal" }}>
      <BlockStack gap="050">
        <Text as="span">{t.title}</Text>
        <InlineStack gap="100">
          {t.overdue ? <Badge tone="critical">Overdue</Badge> : null}
          {t.status === "snoozed" && t.snoozedUntil ? <Badge>{`Snoozed to ${formatDate(t.snoozedUntil, timeZone)}`}</Badge> : null}
          {t.contactedAt ? <Badge tone="success">{`Contacted ${formatDate(t.contactedAt, timeZone)}`}</Badge> : null}
        </InlineStack>
        {!t.overdue && t.status !== "snoozed" ? (
          <Text as="span" tone="subdued" variant="bodySm">
            Due {formatDate(t.dueAt, timeZone)}
          </Text>
        ) : null}
      </BlockStack>
    </div>
  );
}

function EmptyList({ view, isCurrentWeek }: { view: AtRiskView; isCurrentWeek: boolean }) {
  const copy =
    view === "snoozed"
      ? { heading: "Nobody is snoozed", body: "Snooze a subscriber to take them off the list for 7 days." }
      : view === "dismissed"
        ? { heading: "Nobody dismissed this week", body: "Subscribers you dismiss, with the reason, are listed here until the week ends." }
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
