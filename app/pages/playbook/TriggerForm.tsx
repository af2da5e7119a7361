import { BlockStack, Card, Checkbox, FormLayout, InlineError, Select, Text, TextField } from "@shopify/polaris";
import { CONDITION_OPTIONS, METRIC_OPTIONS, PRIORITIES, type EditorField, type EditorValues } from "../../playbook/editor-form";
import { PRIORITY_LABELS } from "../../playbook/describe";

type Errors = Partial<Record<EditorField | "form", string>>;

interface Props {
  values: EditorValues;
  errors: Errors;
  onChange: (field: EditorField, value: string) => void;
}

const BAND_OPTIONS = [
  { label: "Watch or worse", value: "watch" },
  { label: "At risk or worse", value: "at_risk" },
  { label: "Critical", value: "critical" },
  { label: "Healthy (any band)", value: "healthy" },
];
const FAILURE_OPTIONS = [
  { label: "Any failure", value: "" },
  { label: "Soft decline (the retry usually works)", value: "soft_decline" },
  { label: "Hard decline (the card must be updated)", value: "hard_decline" },
  { label: "Out of stock", value: "inventory" },
  { label: "Other", value: "other" },
];
const TASK_FOR_OPTIONS = [
  { label: "Everyone it fires for", value: "everyone" },
  { label: "High-value subscribers only", value: "high_value" },
  { label: "Subscribers worth at least a monthly amount", value: "min_value" },
];
const TENURE_OPTIONS = [
  { label: "New and established", value: "*" },
  { label: "New subscribers", value: "new" },
  { label: "Established subscribers", value: "established" },
];
const VALUE_OPTIONS = [
  { label: "High and low value", value: "*" },
  { label: "High value", value: "high" },
  { label: "Low value", value: "low" },
];

/** The editor's fields, grouped as a merchant thinks of a trigger: when, for whom, what, who. */
export function TriggerForm({ values, errors, onChange }: Props) {
  const choice = (name: EditorField) => ({
    value: values[name],
    onChange: (v: string) => onChange(name, v),
    error: errors[name],
    name,
  });
  const field = (name: EditorField) => ({ ...choice(name), autoComplete: "off" });
  const box = (name: EditorField) => ({
    checked: values[name] === "true",
    onChange: (v: boolean) => onChange(name, String(v)),
    name,
  });
  const params = CONDITION_OPTIONS.find((o) => o.value === values.conditionType)?.params ?? [];
  const metrics = METRIC_OPTIONS.includes(values.metric) ? METRIC_OPTIONS : [...METRIC_OPTIONS, values.metric];

  return (
    <BlockStack gap="400">
      <Card>
        <FormLayout>
          <TextField label="Name" {...field("name")} helpText="How the trigger is named in tasks, reports and Klaviyo events." />
          <Checkbox label="On: fire for subscribers as they match" {...box("enabled")} />
        </FormLayout>
      </Card>

      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            When
          </Text>
          <FormLayout>
            <Select label="Condition" options={CONDITION_OPTIONS.map(({ label, value }) => ({ label, value }))} {...choice("conditionType")} />
            {params.includes("n") ? <TextField label="Skips in a row (at least)" type="number" min={1} {...field("n")} /> : null}
            {params.includes("failureClass") ? <Select label="Kind of failure" options={FAILURE_OPTIONS} {...choice("failureClass")} /> : null}
            {params.includes("days") ? <TextField label="Days paused (more than)" type="number" min={1} {...field("days")} /> : null}
            {params.includes("band") ? <Select label="Band" options={BAND_OPTIONS} {...choice("band")} /> : null}
            {params.includes("points") ? (
              <TextField label="Points dropped in 7 days (at least)" type="number" min={1} {...field("points")} />
            ) : null}
            {params.includes("minTenureDays") ? (
              <TextField label="Days subscribed (at least)" type="number" min={0} {...field("minTenureDays")} />
            ) : null}
            {params.includes("minUpgrades") ? (
              <TextField label="Upgrades in the last 90 days (at least)" type="number" min={1} {...field("minUpgrades")} />
            ) : null}
            <FormLayout.Group>
              <Select label="Tenure" options={TENURE_OPTIONS} {...choice("segmentTenure")} />
              <Select label="Value" options={VALUE_OPTIONS} {...choice("segmentValue")} />
            </FormLayout.Group>
            <TextField
              label="Cooldown (days)"
              type="number"
              min={0}
              helpText="After firing for a subscriber, wait this long before firing for them again."
              {...field("cooldownDays")}
            />
          </FormLayout>
        </BlockStack>
      </Card>

      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Play
          </Text>
          <FormLayout>
            <Checkbox label="Send a Klaviyo event (starts the flows built on its metric)" {...box("playEvent")} />
            {values.playEvent === "true" ? (
              <Select label="Klaviyo metric" options={metrics.map((m) => ({ label: m, value: m }))} {...choice("metric")} />
            ) : null}
            <Checkbox
              label="Update Klaviyo profile properties"
              helpText="Keeps lifeline_score, lifeline_band, lifeline_segment and lifeline_next_billing_date current on the profile."
              {...box("playProfile")}
            />
            <Checkbox label="Create a task for your team" {...box("playTask")} />
            {values.playTask === "true" ? (
              <>
                <TextField label="Suggested action" multiline={2} maxLength={500} {...field("suggestedAction")} />
                <Select label="Create it for" options={TASK_FOR_OPTIONS} {...choice("taskFor")} />
                {values.taskFor === "min_value" ? (
                  <TextField label="Monthly value at least" type="number" min={0} helpText="In your store's currency." {...field("taskMinMonthlyValue")} />
                ) : null}
                <Checkbox
                  label="Create the task for held-out subscribers too"
                  helpText="For tasks that learn rather than treat, such as asking why someone cancelled."
                  {...box("taskInHoldout")}
                />
              </>
            ) : null}
            {errors.playEvent ? <InlineError message={errors.playEvent} fieldID="playEvent" /> : null}
          </FormLayout>
        </BlockStack>
      </Card>

      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Who, how fast, and how it is measured
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField label="Owner" {...field("owner")} />
              <Select label="Priority" options={PRIORITIES.map((p) => ({ label: PRIORITY_LABELS[p], value: p }))} {...choice("priority")} />
              <TextField
                label="Hours to work a task"
                type="number"
                min={1}
                helpText="A task is due this long after the trigger fires: 48 is 2 days."
                {...field("slaHours")}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField
                label="Holdout (%)"
                type="number"
                min={0}
                max={50}
                helpText="This share of firings gets no play, so the difference the play makes can be measured against them. 0 to 50."
                {...field("holdoutPercent")}
              />
              <TextField
                label="Outcome window (days)"
                type="number"
                min={1}
                helpText="How long after firing Lifeline looks at what happened: still subscribed, payment recovered, or cancelled."
                {...field("outcomeWindowDays")}
              />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
