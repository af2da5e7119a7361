import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, FormLayout, InlineError, Popover, Select, TextField } from "@shopify/polaris";
import type { ActionData } from "../shared/action-data";

/**
 * The rows share one fetcher, so the page can show the result's toast even when the row
 * that asked has left the list (a dismissed subscriber's row is gone before the answer).
 */
export const AT_RISK_ACTION_KEY = "at-risk-action";


interface Props {
  subscriberId: string;
  name: string;
  reasons: { value: string; label: string }[];
  /** Narrow screens: Contacted and Dismiss only (Snooze is on the subscriber's page). */
  compact?: boolean;
  /** The fetcher the answers arrive on (the page shows their toasts). */
  fetcherKey?: string;
}

/** One subscriber's actions, on one line: mark contacted, snooze a week, dismiss with a reason. */
export function AtRiskActions({ subscriberId, name, reasons, compact, fetcherKey = AT_RISK_ACTION_KEY }: Props) {
  const fetcher = useFetcher<ActionData>({ key: fetcherKey });
  const [dismissOpen, setDismissOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const busy = fetcher.state !== "idle" && fetcher.formData?.get("subscriberId") === subscriberId;
  const intent = busy ? fetcher.formData?.get("intent") : undefined;
  const data = fetcher.state === "idle" && fetcher.data?.subscriberId === subscriberId ? fetcher.data : undefined;

  // A failed dismissal keeps the popover open with what was chosen; a saved one closes it.
  useEffect(() => {
    if (data?.ok) {
      setDismissOpen(false);
      setReason("");
      setNote("");
    }
  }, [data]);

  const submit = (values: Record<string, string>) => fetcher.submit({ subscriberId, ...values }, { method: "post" });

  return (
    <ButtonGroup noWrap>
      <Button
        size="slim"
        variant="primary"
        loading={busy && intent === "contacted"}
        disabled={busy}
        onClick={() => submit({ intent: "contacted" })}
        accessibilityLabel={`Mark ${name} as contacted`}
      >
        Contacted
      </Button>
      {compact ? null : (
        <Button
          size="slim"
          loading={busy && intent === "snooze"}
          disabled={busy}
          onClick={() => submit({ intent: "snooze" })}
          accessibilityLabel={`Snooze ${name} for 7 days`}
        >
          Snooze
        </Button>
      )}
      <Popover
        active={dismissOpen}
        onClose={() => setDismissOpen(false)}
        preferredAlignment="right"
        activator={
          <Button size="slim" disclosure onClick={() => setDismissOpen((open) => !open)} accessibilityLabel={`Dismiss ${name}`}>
            Dismiss
          </Button>
        }
      >
        <Popover.Section>
          <fetcher.Form method="post" aria-label={`Dismiss ${name}`}>
            <input type="hidden" name="intent" value="dismiss" />
            <input type="hidden" name="subscriberId" value={subscriberId} />
            <BlockStack gap="300">
              <FormLayout>
                <Select
                  label="Why take them off this week's list?"
                  name="reason"
                  options={[{ label: "Choose a reason", value: "" }, ...reasons]}
                  value={reason}
                  onChange={setReason}
                  // The error is about the reason left empty: gone as soon as one is chosen.
                  error={data && !data.ok && reason === "" ? data.fieldErrors?.reason : undefined}
                />
                <TextField
                  label="Note (optional)"
                  name="note"
                  value={note}
                  onChange={setNote}
                  multiline={2}
                  autoComplete="off"
                  maxLength={500}
                  error={data && !data.ok ? data.fieldErrors?.note : undefined}
                />
              </FormLayout>
              {data && !data.ok && !data.fieldErrors ? <InlineError message={data.error ?? ""} fieldID={`dismiss-${subscriberId}`} /> : null}
              <Button submit variant="primary" tone="critical" loading={busy && intent === "dismiss"}>
                Dismiss for this week
              </Button>
            </BlockStack>
          </fetcher.Form>
        </Popover.Section>
      </Popover>
    </ButtonGroup>
  );
}
