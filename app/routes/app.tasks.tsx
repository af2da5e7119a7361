import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, IndexTable, InlineStack, Layout, List, Page, Select, Tabs, Text } from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { CLOSE_REASONS } from "../playbook/tasks";
import { parseInboxQuery, snoozeTaskUntilDay, taskInbox } from "../pages/tasks/task-inbox.server";
import { assignTask, closeTask, markContacted } from "../models/tasks.server";
import { PRIORITY_LABELS, TASK_CLOSE_REASONS, TASK_TAB_LABELS, TASK_TABS, closeReasonLabel, type TaskTab } from "../pages/tasks/task-options";
import type { ActionData } from "../pages/at-risk/AtRiskActions";
import { TaskActions } from "../pages/tasks/TaskActions";
import { formatCount, formatDate, formatDateTime } from "../pages/shared/format";
import { EMPTY_IMAGE } from "../pages/shared/emptyImage";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("Tasks");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return taskInbox(session.shop, parseInboxQuery(new URL(request.url).searchParams));
};

const taskId = z.string({ required_error: "Choose a task." }).min(1, "Choose a task.");
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("contacted"), taskId }),
  z.object({
    intent: z.literal("assign"),
    taskId,
    owner: z.string({ required_error: "Name who owns this task." }).trim().min(1, "Name who owns this task.").max(120, "Keep the name under 120 characters."),
  }),
  z.object({
    intent: z.literal("snooze"),
    taskId,
    until: z.string({ required_error: "Choose the day to snooze until." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Choose the day to snooze until."),
  }),
  z.object({
    intent: z.literal("close"),
    taskId,
    reason: z.enum(CLOSE_REASONS, { errorMap: () => ({ message: "Choose why you are closing this task." }) }),
    note: z.string().trim().max(2000, "Keep the note under 2,000 characters.").optional(),
  }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  const at = Date.now();
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    const error = fieldErrors.intent ? "Choose what to do: assign, snooze, contacted or close." : Object.values(fieldErrors)[0];
    return data<ActionData>({ ok: false, error, fieldErrors, at }, { status: 400 });
  }
  const input = parsed.data;
  const result =
    input.intent === "contacted"
      ? await markContacted(session.shop, input.taskId)
      : input.intent === "assign"
        ? await assignTask(session.shop, input.taskId, input.owner)
        : input.intent === "snooze"
          ? await snoozeTaskUntilDay(session.shop, input.taskId, input.until)
          : await closeTask(session.shop, input.taskId, { reason: input.reason, note: input.note || undefined });
  if (!result.ok) return data<ActionData>({ ok: false, error: result.error, at }, { status: result.status });
  const message =
    input.intent === "contacted"
      ? "Marked as contacted"
      : input.intent === "assign"
        ? `Assigned to ${result.task.owner}`
        : input.intent === "snooze"
          ? `Snoozed until ${input.until}`
          : `Task closed: ${closeReasonLabel(input.reason)}`;
  return data<ActionData>({ ok: true, message, at });
};

export default function Tasks() {
  const inbox = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/tasks";
  const { tab, owner } = inbox.query;

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearchParams(next);
  };

  const tabs = TASK_TABS.map((t) => ({ id: t, content: `${TASK_TAB_LABELS[t]} (${formatCount(inbox.counts[t])})`, panelID: `tasks-${t}` }));
  const ownerOptions = [{ label: "Everyone", value: "" }, ...inbox.owners.map((o) => ({ label: o, value: o }))];
  const overdue = inbox.rows.filter((r) => r.overdue).length;

  return (
    <Page
      fullWidth
      title="Tasks"
      subtitle="Follow-ups the playbook asked for, overdue first, then by when they are due."
      secondaryActions={[{ content: "At-risk this week", url: "/app/at-risk" }]}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <InlineStack gap="400" align="space-between" blockAlign="end" wrap>
                <Box minWidth="240px">
                  <Select label="Owner" options={ownerOptions} value={owner ?? ""} onChange={(v) => setParam("owner", v || null)} />
                </Box>
                {overdue > 0 && tab !== "done" ? (
                  <Badge tone="critical">{`${formatCount(overdue)} overdue`}</Badge>
                ) : null}
              </InlineStack>
            </Box>
            <Tabs tabs={tabs} selected={TASK_TABS.indexOf(tab)} onSelect={(i) => setParam("tab", TASK_TABS[i] === "open" ? null : TASK_TABS[i])} />
            {inbox.rows.length === 0 ? (
              <EmptyInbox tab={tab} filtered={owner != null} />
            ) : (
              <IndexTable
                resourceName={{ singular: "task", plural: "tasks" }}
                itemCount={inbox.rows.length}
                selectable={false}
                loading={loading}
                headings={[
                  { title: "Due" },
                  { title: "Subscriber" },
                  { title: "Trigger" },
                  { title: "Priority" },
                  { title: "Why" },
                  { title: "Suggested action" },
                  { title: "Owner" },
                  { title: tab === "done" ? "Closed because" : "Actions" },
                ]}
              >
                {inbox.rows.map((row, i) => (
                  <TaskRow key={row.id} row={row} index={i} timeZone={inbox.timeZone} />
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

function TaskRow({ row, index, timeZone }: { row: Row; index: number; timeZone: string }) {
  const done = row.status === "done";
  const snoozed = row.status === "snoozed" && row.snoozedUntil != null && new Date(row.snoozedUntil).getTime() > Date.now();
  return (
    <IndexTable.Row id={row.id} position={index}>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <Text as="span">{formatDateTime(row.dueAt, timeZone)}</Text>
          <InlineStack gap="100">
            {row.overdue ? <Badge tone="critical">Overdue</Badge> : null}
            {snoozed ? <Badge>{`Snoozed to ${formatDate(row.snoozedUntil, timeZone)}`}</Badge> : null}
            {done ? <Badge tone="success">{`Done ${formatDate(row.closedAt, timeZone)}`}</Badge> : null}
          </InlineStack>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <RemixLink to={`/app/subscribers/${row.subscriber.id}`} style={{ color: "inherit" }}>
            <Text as="span" fontWeight="semibold">
              {row.subscriber.name}
            </Text>
          </RemixLink>
          {row.subscriber.email ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {row.subscriber.email}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 140, maxWidth: 240, whiteSpace: "normal" }}>
          <Text as="span">{row.title}</Text>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={row.priority === "urgent" ? "critical" : row.priority === "high" ? "warning" : undefined}>
          {PRIORITY_LABELS[row.priority] ?? row.priority}
        </Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 160, maxWidth: 320, whiteSpace: "normal" }}>
          {row.reasons.length ? (
            <List type="bullet" gap="extraTight">
              {row.reasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          ) : (
            <Text as="span" tone="subdued">
              No reasons recorded
            </Text>
          )}
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 150, maxWidth: 280, whiteSpace: "normal" }}>
          <Text as="span">{row.suggestedAction}</Text>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span">{row.owner}</Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {done ? (
          <BlockStack gap="050">
            <Text as="span">{closeReasonLabel(row.closeReason)}</Text>
            {row.note ? (
              <Text as="span" tone="subdued" variant="bodySm">
                {row.note}
              </Text>
            ) : null}
          </BlockStack>
        ) : (
          // Wide enough for two buttons a line: one button a line made every row four buttons tall.
          <div style={{ minWidth: 170 }}>
            <TaskActions taskId={row.id} subscriberName={row.subscriber.name} owner={row.owner} reasons={TASK_CLOSE_REASONS} />
          </div>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

function EmptyInbox({ tab, filtered }: { tab: TaskTab; filtered: boolean }) {
  const copy: Record<TaskTab, { heading: string; body: string }> = {
    open: { heading: "No open tasks", body: "When a playbook trigger asks for a personal follow-up, the task appears here with its reasons and due time." },
    snoozed: { heading: "Nothing snoozed", body: "Snooze a task to take it out of the inbox until a day you choose." },
    done: { heading: "No closed tasks yet", body: "Closed tasks are listed here with the reason they were closed." },
    all: { heading: "No tasks yet", body: "Tasks are created when a playbook trigger fires with a task play." },
  };
  return (
    <EmptyState heading={copy[tab].heading} image={EMPTY_IMAGE}>
      <p>{filtered ? "No tasks for this owner here. Choose Everyone to see the whole team's." : copy[tab].body}</p>
    </EmptyState>
  );
}
