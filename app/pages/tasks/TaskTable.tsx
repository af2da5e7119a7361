import { useEffect, useState } from "react";
import type { SerializeFrom } from "@remix-run/node";
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, BlockStack, FormLayout, IndexTable, InlineStack, List, Modal, Select, Text, TextField, useIndexResourceState } from "@shopify/polaris";
import type { ActionData } from "../shared/action-data";
import { CLOSE_REASON_OPTIONS, closeReasonLabel } from "../shared/close-reasons";
import { formatDate, formatDateTime } from "../shared/format";
import type { TaskInbox } from "./task-inbox.server";
import { PRIORITY_LABELS, pageLabel } from "./task-options";
import { TASK_ACTION_KEY, TaskActions } from "./TaskActions";

type Inbox = SerializeFrom<TaskInbox>;
type Row = Inbox["rows"][number];

interface Props {
  inbox: Inbox;
  loading: boolean;
  onPage: (page: number) => void;
}

/**
 * One page of a tab, with its place in the tab ("1-50 of 1,056"), and the open tasks on it
 * selectable to close together with one reason.
 */
export function TaskTable({ inbox, loading, onPage }: Props) {
  const { rows, page, pageSize, query } = inbox;
  const total = inbox.counts[query.tab];
  const closable = rows.filter((r) => r.status !== "done");
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(closable.map((r) => ({ id: r.id })));
  const [closing, setClosing] = useState(false);
  const done = query.tab === "done";
  return (
    <>
      <IndexTable
        resourceName={{ singular: "task", plural: "tasks" }}
        itemCount={rows.length}
        selectable={!done && closable.length > 0}
        selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
        onSelectionChange={handleSelectionChange}
        promotedBulkActions={[{ content: "Close tasks", onAction: () => setClosing(true) }]}
        loading={loading}
        headings={[
          { title: "Due" },
          { title: "Subscriber" },
          { title: "Task" },
          { title: "Why, and what to do" },
          { title: done ? "Closed because" : "Actions" },
        ]}
        pagination={{
          label: pageLabel(page, pageSize, total),
          hasPrevious: page > 1,
          hasNext: page * pageSize < total,
          onPrevious: () => onPage(page - 1),
          onNext: () => onPage(page + 1),
        }}
      >
        {rows.map((row, i) => (
          <TaskRow key={row.id} row={row} index={i} timeZone={inbox.timeZone} selected={selectedResources.includes(row.id)} />
        ))}
      </IndexTable>
      <BulkClose
        open={closing}
        taskIds={selectedResources}
        onClose={() => setClosing(false)}
        onClosed={() => {
          setClosing(false);
          clearSelection();
        }}
      />
    </>
  );
}

/** The bulk close: one reason (and note) for every selected task. */
function BulkClose({ open, taskIds, onClose, onClosed }: { open: boolean; taskIds: string[]; onClose: () => void; onClosed: () => void }) {
  const fetcher = useFetcher<ActionData>({ key: TASK_ACTION_KEY });
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const busy = fetcher.state !== "idle" && fetcher.formData?.get("intent") === "close_many";
  const data = fetcher.state === "idle" && fetcher.data?.intent === "close_many" ? fetcher.data : undefined;
  useEffect(() => {
    if (data?.ok) {
      setReason("");
      setNote("");
      onClosed();
    }
    // Only a new answer closes the dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data?.at]);
  const count = taskIds.length === 1 ? "1 task" : `${taskIds.length} tasks`;
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Close ${count}`}
      primaryAction={{
        content: `Close ${count}`,
        loading: busy,
        disabled: reason === "",
        onAction: () => fetcher.submit({ intent: "close_many", taskIds: taskIds.join(","), reason, note }, { method: "post" }),
      }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <FormLayout>
          <Select
            label="Why are these tasks done?"
            options={[{ label: "Choose a reason", value: "" }, ...CLOSE_REASON_OPTIONS]}
            value={reason}
            onChange={setReason}
            helpText={reason === "" ? "Choose a reason to close them." : undefined}
            error={reason === "" && data && !data.ok ? data.error : undefined}
          />
          <TextField label="Note (optional)" value={note} onChange={setNote} multiline={2} autoComplete="off" maxLength={2000} />
        </FormLayout>
      </Modal.Section>
    </Modal>
  );
}

function TaskRow({ row, index, timeZone, selected }: { row: Row; index: number; timeZone: string; selected: boolean }) {
  const done = row.status === "done";
  const snoozed = row.status === "snoozed" && row.snoozedUntil != null && new Date(row.snoozedUntil).getTime() > Date.now();
  return (
    <IndexTable.Row id={row.id} position={index} selected={selected} disabled={row.status === "done"}>
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
        <div style={{ minWidth: 140, maxWidth: 220, whiteSpace: "normal" }}>
          <BlockStack gap="100">
            <Text as="span">{row.title}</Text>
            <InlineStack gap="100" blockAlign="center">
              <Badge tone={row.priority === "urgent" ? "critical" : row.priority === "high" ? "warning" : undefined}>
                {PRIORITY_LABELS[row.priority] ?? row.priority}
              </Badge>
              <Text as="span" tone="subdued" variant="bodySm">
                {row.owner}
              </Text>
            </InlineStack>
          </BlockStack>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 200, maxWidth: 340, whiteSpace: "normal" }}>
          <BlockStack gap="150">
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
            <Text as="span" tone="subdued" variant="bodySm">
              {row.suggestedAction}
            </Text>
          </BlockStack>
        </div>
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
          // A click in the actions (or their popovers, which bubble through React) is not a row selection.
          <div onClick={(e) => e.stopPropagation()} role="presentation">
            <TaskActions taskId={row.id} subscriberName={row.subscriber.name} owner={row.owner} reasons={CLOSE_REASON_OPTIONS} />
          </div>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
