import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, FormLayout, InlineError, Popover, Select, TextField } from "@shopify/polaris";
import type { ActionData } from "../shared/action-data";

interface Props {
  taskId: string;
  subscriberName: string;
  owner: string;
  reasons: { value: string; label: string }[];
}

type Panel = "assign" | "snooze" | "close" | null;

/** Tomorrow as YYYY-MM-DD in the browser's calendar: the earliest sensible snooze. */
function tomorrow(): string {
  const d = new Date(Date.now() + 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * The rows share one fetcher, so the page shows each answer's toast even when the row that
 * asked has left the tab (a closed task's row is gone before the answer is read).
 */
export const TASK_ACTION_KEY = "task-action";

/** One task's actions, on one line: mark contacted, assign, snooze until a day, close with a reason. */
export function TaskActions({ taskId, subscriberName, owner, reasons }: Props) {
  const fetcher = useFetcher<ActionData>({ key: TASK_ACTION_KEY });
  const [panel, setPanel] = useState<Panel>(null);
  const [assignee, setAssignee] = useState(owner);
  const [until, setUntil] = useState("");
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const busy = fetcher.state !== "idle" && fetcher.formData?.get("taskId") === taskId;
  const intent = busy ? fetcher.formData?.get("intent") : undefined;
  const data = fetcher.state === "idle" && fetcher.data?.taskId === taskId ? fetcher.data : undefined;
  const failed = data && !data.ok ? data : undefined;

  // A failed change keeps its panel open with what was entered; a saved one closes it.
  useEffect(() => {
    if (data?.ok) {
      setPanel(null);
      setReason("");
      setNote("");
    }
  }, [data]);

  const toggle = (p: Panel) => setPanel((open) => (open === p ? null : p));
  const hidden = (name: string) => (
    <>
      <input type="hidden" name="intent" value={name} />
      <input type="hidden" name="taskId" value={taskId} />
    </>
  );
  const formError = failed && !failed.fieldErrors ? <InlineError message={failed.error ?? ""} fieldID={`task-${taskId}`} /> : null;

  return (
    <ButtonGroup noWrap>
      <Button
        size="slim"
        loading={busy && intent === "contacted"}
        disabled={busy}
        onClick={() => fetcher.submit({ intent: "contacted", taskId }, { method: "post" })}
        accessibilityLabel={`Mark ${subscriberName} as contacted`}
      >
        Contacted
      </Button>
      <Popover
        active={panel === "assign"}
        onClose={() => setPanel(null)}
        activator={
          <Button size="slim" disclosure onClick={() => toggle("assign")} accessibilityLabel={`Assign the task for ${subscriberName}`}>
            Assign
          </Button>
        }
      >
        <Popover.Section>
          <fetcher.Form method="post" aria-label={`Assign the task for ${subscriberName}`}>
            {hidden("assign")}
            <BlockStack gap="300">
              <TextField label="Owner" name="owner" value={assignee} onChange={setAssignee} autoComplete="off" maxLength={120} error={failed?.fieldErrors?.owner} />
              {panel === "assign" ? formError : null}
              <Button submit variant="primary" loading={busy && intent === "assign"}>
                Assign
              </Button>
            </BlockStack>
          </fetcher.Form>
        </Popover.Section>
      </Popover>
      <Popover
        active={panel === "snooze"}
        onClose={() => setPanel(null)}
        activator={
          <Button size="slim" disclosure onClick={() => toggle("snooze")} accessibilityLabel={`Snooze the task for ${subscriberName}`}>
            Snooze
          </Button>
        }
      >
        <Popover.Section>
          <fetcher.Form method="post" aria-label={`Snooze the task for ${subscriberName}`}>
            {hidden("snooze")}
            <BlockStack gap="300">
              <TextField
                label="Snooze until"
                type="date"
                name="until"
                value={until}
                min={tomorrow()}
                onChange={setUntil}
                autoComplete="off"
                helpText="It comes back to the inbox at the start of that day, store time."
                error={failed?.fieldErrors?.until}
              />
              {panel === "snooze" ? formError : null}
              <Button submit variant="primary" loading={busy && intent === "snooze"}>
                Snooze
              </Button>
            </BlockStack>
          </fetcher.Form>
        </Popover.Section>
      </Popover>
      <Popover
        active={panel === "close"}
        onClose={() => setPanel(null)}
        preferredAlignment="right"
        activator={
          <Button size="slim" disclosure onClick={() => toggle("close")} accessibilityLabel={`Close the task for ${subscriberName}`}>
            Close
          </Button>
        }
      >
        <Popover.Section>
          <fetcher.Form method="post" aria-label={`Close the task for ${subscriberName}`}>
            {hidden("close")}
            <BlockStack gap="300">
              <FormLayout>
                <Select
                  label="Why is this task done?"
                  name="reason"
                  options={[{ label: "Choose a reason", value: "" }, ...reasons]}
                  value={reason}
                  onChange={setReason}
                  // The error is about the reason left empty: gone as soon as one is chosen.
                  error={reason === "" ? failed?.fieldErrors?.reason : undefined}
                />
                <TextField
                  label="Note (optional)"
                  name="note"
                  value={note}
                  onChange={setNote}
                  multiline={2}
                  autoComplete="off"
                  maxLength={2000}
                  error={failed?.fieldErrors?.note}
                />
              </FormLayout>
              {panel === "close" ? formError : null}
              <Button submit variant="primary" loading={busy && intent === "close"}>
                Close task
              </Button>
            </BlockStack>
          </fetcher.Form>
        </Popover.Section>
      </Popover>
    </ButtonGroup>
  );
}
