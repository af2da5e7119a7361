import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Box, Card, EmptyState, InlineStack, Layout, Page, Select, Tabs } from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { parseInboxQuery, taskInbox } from "../pages/tasks/task-inbox.server";
import { taskAction } from "../pages/tasks/task-action.server";
import { TASK_TAB_LABELS, TASK_TABS, type TaskTab } from "../pages/tasks/task-options";
import type { ActionData } from "../pages/shared/action-data";
import { TASK_ACTION_KEY } from "../pages/tasks/TaskActions";
import { TaskTable } from "../pages/tasks/TaskTable";
import { formatCount } from "../pages/shared/format";
import { useToast } from "../pages/shared/useToast";
import { EMPTY_IMAGE } from "../pages/shared/emptyImage";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("Tasks");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return taskInbox(session.shop, parseInboxQuery(new URL(request.url).searchParams));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { status, body } = await taskAction(session.shop, await request.formData());
  return data<ActionData>(body, { status });
};

export default function Tasks() {
  const inbox = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/tasks";
  const { tab, owner } = inbox.query;

  // Row actions and the bulk close answer on one fetcher: its toast shows though the rows have gone.
  const taskFetcher = useFetcher<ActionData>({ key: TASK_ACTION_KEY });
  const answered = taskFetcher.state === "idle" ? taskFetcher.data : undefined;
  useToast(answered?.ok ? answered.message : answered?.error, { isError: answered ? !answered.ok : false, key: answered?.at });

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(key, value);
    else next.delete(key);
    // Another tab or owner starts at its first page.
    if (key !== "page") next.delete("page");
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
              <TaskTable inbox={inbox} loading={loading} onPage={(page) => setParam("page", page > 1 ? String(page) : null)} />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

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
