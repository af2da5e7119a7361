import { useEffect, useMemo, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { usePageSection } from "../shared/PageSaveBar";
import type { HealthConfig } from "../../health/config";
import { BAND_FIELD_LABELS, BAND_KEYS, BASE_SCOPE, SIGNAL_LABELS, fieldName, scopeLabel, signalHelp } from "../../health/settings-form";
import { SIGNAL_NAMES } from "../../health/types";
import type { ScopeSuggestion, WeightSuggestions } from "./score-settings.server";
import { SCORE_CHECK_POLL_MS } from "../reports/options";
import { ComputedNote } from "../shared/ComputedNote";
import { RescoreStatus, type RescoreStatusData } from "./RescoreStatus";
import { formatCount } from "../shared/format";

interface Props {
  score: {
    config: HealthConfig;
    scopes: string[];
    rescore: RescoreStatusData | null;
  };
}

/** Every field of every scope, as the form holds them: stored values, "" where a segment inherits. */
function initialValues(config: HealthConfig, scopes: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const scope of scopes) {
    const o = scope === BASE_SCOPE ? null : config.overrides[scope];
    for (const k of BAND_KEYS) values[fieldName(scope, "bands", k)] = o ? String(o.bands?.[k] ?? "") : String(config.bands[k]);
    for (const s of SIGNAL_NAMES) values[fieldName(scope, "weights", s)] = o ? String(o.weights?.[s] ?? "") : String(config.weights[s]);
  }
  return values;
}

/** Score bands and signal weights per group of subscribers, with weights fitted on the store's history beside them. */
export function ScoreCard({ score }: Props) {
  const { config, scopes, rescore } = score;
  const suggestions = useFetcher<WeightSuggestions>();
  const [scope, setScope] = useState(BASE_SCOPE);
  const stored = useMemo(() => initialValues(config, scopes), [config, scopes]);
  const [values, setValues] = useState(stored);
  const dirty = Object.entries(values).some(([name, value]) => value !== stored[name]);
  // Saved with the page's save bar (Settings), with the other changed forms.
  const { errors } = usePageSection("scoring", { dirty, fields: values }, () => setValues(stored));

  // A saved config comes back from the loader: start again from it.
  useEffect(() => setValues(stored), [stored]);
  useEffect(() => {
    if (suggestions.state === "idle" && !suggestions.data) suggestions.load("/app/settings/weights");
  }, [suggestions]);
  // While the score check is being computed, look again now and then.
  const computing = suggestions.data?.status === "computing";
  useEffect(() => {
    if (!computing || suggestions.state !== "idle") return;
    const timer = setTimeout(() => suggestions.load("/app/settings/weights"), SCORE_CHECK_POLL_MS);
    return () => clearTimeout(timer);
  }, [computing, suggestions]);

  const isBase = scope === BASE_SCOPE;
  const suggestion = suggestions.data?.suggestions.find((s) => s.scope === scope);
  const set = (name: string) => (v: string) => setValues((prev) => ({ ...prev, [name]: v }));
  const adopt = () => {
    if (suggestion?.status !== "ok") return;
    setValues((prev) => ({ ...prev, ...Object.fromEntries(SIGNAL_NAMES.map((s) => [fieldName(scope, "weights", s), String(suggestion.suggested[s])])) }));
  };
  const scopesWithErrors = new Set(Object.keys(errors).map((k) => k.split("|")[0]));
  const inherited = (part: "bands" | "weights", key: string) => (isBase ? undefined : values[fieldName(BASE_SCOPE, part, key)]);

  return (
    <Card>
        <BlockStack gap="400">
          {rescore ? <RescoreStatus rescore={rescore} /> : null}
          <Select
            label="Group of subscribers"
            options={scopes.map((s) => ({ value: s, label: `${scopeLabel(s)}${scopesWithErrors.has(s) ? " (check the numbers)" : ""}` }))}
            value={scope}
            onChange={setScope}
            helpText={isBase ? "The store-wide numbers. Groups use these unless they set their own." : "Leave a field empty to use the store-wide number."}
          />
          <Text as="h3" variant="headingSm">
            Bands (score 0 to 100)
          </Text>
          <InlineGrid columns={3} gap="300">
            {BAND_KEYS.map((k) => {
              const name = fieldName(scope, "bands", k);
              return (
                <TextField
                  key={name}
                  label={BAND_FIELD_LABELS[k]}
                  type="number"
                  min={0}
                  max={100}
                  value={values[name]}
                  placeholder={inherited("bands", k)}
                  onChange={set(name)}
                  autoComplete="off"
                  error={errors[name]}
                />
              );
            })}
          </InlineGrid>
          <Text as="p" tone="subdued" variant="bodySm">
            Below the at-risk threshold a subscriber is critical.
          </Text>
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h3" variant="headingSm">
              Signal weights (points)
            </Text>
            <Button onClick={adopt} disabled={suggestion?.status !== "ok"}>
              Use suggested weights
            </Button>
          </InlineStack>
          <SuggestionNote loading={suggestions.state !== "idle" && !suggestions.data} stored={suggestions.data} suggestion={suggestion} />
          <BlockStack gap="200">
            <InlineGrid columns={["twoThirds", "oneThird"]} gap="300">
              <Text as="span" tone="subdued" variant="bodySm">
                Signal and weight
              </Text>
              <Text as="span" tone="subdued" variant="bodySm" alignment="end">
                Suggested from your history
              </Text>
            </InlineGrid>
            {SIGNAL_NAMES.map((s) => {
              const name = fieldName(scope, "weights", s);
              return (
                <InlineGrid key={name} columns={["twoThirds", "oneThird"]} gap="300" alignItems="center">
                  <TextField
                    label={SIGNAL_LABELS[s]}
                    helpText={signalHelp(s)}
                    type="number"
                    min={0}
                    max={100}
                    step={0.5}
                    value={values[name]}
                    placeholder={inherited("weights", s)}
                    onChange={set(name)}
                    autoComplete="off"
                    error={errors[name]}
                  />
                  <Text as="span" alignment="end" numeric>
                    {suggestion?.status === "ok" ? suggestion.suggested[s] : "–"}
                  </Text>
                </InlineGrid>
              );
            })}
          </BlockStack>
        </BlockStack>
    </Card>
  );
}

function SuggestionNote({ loading, stored, suggestion }: { loading: boolean; stored: WeightSuggestions | undefined; suggestion: ScopeSuggestion | undefined }) {
  if (loading) return <Text as="p" tone="subdued">Loading the weights suggested from your store's history…</Text>;
  if (stored?.status === "computing") {
    return (
      <Text as="p" tone="subdued">
        Suggested weights are still being computed from your store's history with the current settings. They appear here when it is done.
      </Text>
    );
  }
  if (!suggestion || stored?.status !== "ready") return null;
  const computed = <ComputedNote computedAt={stored.computedAt} sample={stored.sample} timeZone={stored.timeZone} />;
  if (suggestion.status !== "ok") {
    return (
      <BlockStack gap="100">
        <Banner tone="info">{suggestion.message}</Banner>
        {computed}
      </BlockStack>
    );
  }
  const pct = (n: number | null) => (n == null ? "–" : `${Math.round(n * 100)}%`);
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        Fitted on {formatCount(suggestion.observations)} weekly checkpoints, {formatCount(suggestion.churned)} followed by a cancel within 30 days. How often a
        subscriber who cancelled scored below one who stayed: {pct(suggestion.aucCurrent)} with the current weights, {pct(suggestion.aucSuggested)} with the
        suggested ones.
      </Text>
      {computed}
    </BlockStack>
  );
}
