import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineStack, TextField } from "@shopify/polaris";
import { segmentFieldName, type SegmentField } from "../../health/settings-form";
import type { SettingsActionData } from "./settings-options";
import { useToast } from "../shared/useToast";

type Segments = Record<SegmentField, number>;

/** The cut-offs that put a subscriber in "new" or "established", and "high" or "low" value. */
export function SegmentsCard({ segments, defaults }: { segments: Segments; defaults: Segments }) {
  const fetcher = useFetcher<SettingsActionData>();
  const initial = () => ({
    newMaxTenureDays: String(segments.newMaxTenureDays),
    newMinCycles: String(segments.newMinCycles),
    highValueMonthly: String(segments.highValueMonthly),
  });
  const [values, setValues] = useState(initial);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  useToast(result?.ok ? result.message : result?.error, { isError: result ? !result.ok : false, key: result?.at });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setValues(initial()), [segments.newMaxTenureDays, segments.newMinCycles, segments.highValueMonthly]);

  const field = (key: SegmentField, label: string, helpText: string, suffix?: string) => (
    <TextField
      label={label}
      name={segmentFieldName(key)}
      type="number"
      min={0}
      value={values[key]}
      onChange={(v) => setValues((prev) => ({ ...prev, [key]: v }))}
      autoComplete="off"
      suffix={suffix}
      helpText={`${helpText} Default ${defaults[key]}.`}
      error={errors[segmentFieldName(key)]}
    />
  );

  return (
    <Card>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="segments" />
        <BlockStack gap="400">
          <FormLayout>
            <FormLayout.Group>
              {field("newMaxTenureDays", "New for the first", "Subscribers with less tenure than this are new.", "days")}
              {field("newMinCycles", "Or until this many orders", "A quarterly subscriber is still new after 100 days: they have had one box.", "orders")}
            </FormLayout.Group>
            {field("highValueMonthly", "High value from", "Subscribers worth this much a month or more, in the store's currency, are high value.", "a month")}
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={fetcher.state !== "idle"}>
              Save and rescore
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
