import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, TextField } from "@shopify/polaris";
import { DIGEST_HOURS, WEEKDAYS, type SettingsActionData } from "./settings-options";
import { useToast } from "../shared/useToast";

/** Whether the weekly digest goes out, on which day and hour (shop time), and to whom. */
export function DigestCard({ digest }: { digest: { enabled: boolean; weekday: number; hour: number; email: string | null } }) {
  const fetcher = useFetcher<SettingsActionData>();
  const [enabled, setEnabled] = useState(digest.enabled);
  const [weekday, setWeekday] = useState(String(digest.weekday));
  const [hour, setHour] = useState(String(digest.hour));
  const [email, setEmail] = useState(digest.email ?? "");
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  useToast(result?.ok ? result.message : result?.error, { isError: result ? !result.ok : false, key: result?.at });

  return (
    <Card>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="digest" />
        <input type="hidden" name="enabled" value={enabled ? "on" : "off"} />
        <BlockStack gap="400">
          <FormLayout>
            <Checkbox label="Send the weekly digest" checked={enabled} onChange={setEnabled} />
            <FormLayout.Group>
              <Select label="Day" name="weekday" options={WEEKDAYS} value={weekday} onChange={setWeekday} error={errors.weekday} />
              <Select label="Time (store's time zone)" name="hour" options={DIGEST_HOURS} value={hour} onChange={setHour} error={errors.hour} />
              <TextField
                label="Send to"
                name="email"
                type="email"
                value={email}
                onChange={setEmail}
                autoComplete="email"
                error={errors.email}
              />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={fetcher.state !== "idle"}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
