import { useState } from "react";
import { Card, Checkbox, FormLayout, Select, TextField } from "@shopify/polaris";
import { DIGEST_HOURS, WEEKDAYS } from "./settings-options";
import { usePageSection } from "../shared/PageSaveBar";

/** Whether the weekly digest goes out, on which day and hour (shop time), and to whom. */
export function DigestCard({ digest }: { digest: { enabled: boolean; weekday: number; hour: number; email: string | null } }) {
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

  return (
    <Card>
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
    </Card>
  );
}
