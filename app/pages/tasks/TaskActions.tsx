import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, FormLayout, InlineError, Popover, Select, TextField } from "@shopify/polaris";
import type { ActionData } from "../at-risk/AtRiskActions";
import { useToast } from "../shared/useToast";

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

/** One task's actions: mark contacted, assign, snooze until a day, close with a reason. */
export function TaskActions({ taskId, subscriberName, owner, reasons }: Props) {
  const fetcher = useFetcher<ActionData>();
  const [panel, setPanel] = useState<Panel>(null);
  const [assignee, setAssignee] = useState(owner);
  const [until, setUntil] = useState("");
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const busy = fetcher.state !== "idle";
  const intent = fetcher.formData?.get("intent");
  const data = fetcher.state === "idle" ? fetcher.data : undefined;
  const failed = data && !data.ok ? data : undefined;
  useToast(data?.ok ? data.message : data?.error, { isError: data ? !data.ok : false, key: data?.at });

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
    <ButtonGroup>
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
                  error={failed?.fieldErrors?.reason}
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
