import { useEffect, useState } from "react";
import { Card, FormLayout, TextField } from "@shopify/polaris";
import { segmentFieldName, type SegmentField } from "../../health/settings-form";
import { usePageSection } from "../shared/PageSaveBar";

type Segments = Record<SegmentField, number>;

/** The cut-offs that put a subscriber in "new" or "established", and "high" or "low" value. */
export function SegmentsCard({ segments, defaults }: { segments: Segments; defaults: Segments }) {
  const initial = () => ({
    newMaxTenureDays: String(segments.newMaxTenureDays),
    newMinCycles: String(segments.newMinCycles),
    highValueMonthly: String(segments.highValueMonthly),
  });
  const [values, setValues] = useState(initial);
  const stored = initial();
  const dirty = (Object.keys(values) as SegmentField[]).some((k) => values[k] !== stored[k]);
  // Saved with the page's save bar (Settings), with the other changed forms.
  const { errors } = usePageSection("segments", { dirty, fields: Object.fromEntries(Object.entries(values).map(([k, v]) => [segmentFieldName(k as SegmentField), v])) }, () => setValues(initial()));
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
          <FormLayout>
            <FormLayout.Group>
              {field("newMaxTenureDays", "New for the first", "Subscribers with less tenure than this are new.", "days")}
              {field("newMinCycles", "Or until this many orders", "A quarterly subscriber is still new after 100 days: they have had one box.", "orders")}
            </FormLayout.Group>
            {field("highValueMonthly", "High value from", "Subscribers worth this much a month or more, in the store's currency, are high value.", "a month")}
          </FormLayout>
    </Card>
  );
}
