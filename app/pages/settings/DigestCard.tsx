import { useState } from "react";
import { Banner, BlockStack, Card, Checkbox, FormLayout, Select, TextField } from "@shopify/polaris";
import { DIGEST_HOURS, WEEKDAYS } from "./settings-options";
import { usePageSection } from "../shared/PageSaveBar";

/** Whether the weekly digest goes out, on which day and hour (shop time), and to whom. */
export function DigestCard({ digest }: { digest: { enabled: boolean; weekday: number; hour: number; email: string | null; storeEmail: string | null } }) {
  const [enabled, setEnabled] = useState(digest.enabled);
  const [weekday, setWeekday] = useState(String(digest.weekday));
  const [hour, setHour] = useState(String(digest.hour));
  const [email, setEmail] = useState(digest.email ?? "");
  const fields = { enabled: enabled ? "on" : "off", weekday, hour, email };
  const dirty = enabled !== digest.enabled || weekday !== String(digest.weekday) || hour !== String(digest.hour) || email !== (digest.email ?? "");
  // Saved with the page's save bar (Settings), with the other changed forms.
  const { errors } = usePageSection("digest", { dirty, fields }, () => {
    setEnabled(digest.enabled);
    setWeekday(String(digest.weekday));
    setHour(String(digest.hour));
    setEmail(digest.email ?? "");
  });
  const recipient = email.trim() || digest.storeEmail;
  const hint = email.trim()
    ? `Goes to ${email.trim()}.`
    : digest.storeEmail
      ? `Leave empty to send it to the store's email, ${digest.storeEmail}.`
      : "Enter an address: the store has no email in Shopify yet.";

  return (
    <Card>
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
              placeholder={digest.storeEmail ?? undefined}
              helpText={hint}
              error={errors.email}
            />
          </FormLayout.Group>
        </FormLayout>
        {enabled && !recipient ? (
          <Banner tone="warning" title="The digest has nowhere to go">
            <p>Enter the address it should go to, or add the store's email in Shopify (Settings, then General). Until then no digest is sent.</p>
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}
