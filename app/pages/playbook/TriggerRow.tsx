import type React from "react";
import { useFetcher, Link as RemixLink } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Checkbox,
  IndexTable,
  InlineStack,
  Text,
} from "@shopify/polaris";
import type { PlaybookRow } from "./playbook-list.server";
import { PRIORITY_LABELS, dueInWords } from "../../playbook/describe";
import { formatCount } from "../shared/format";
import { useToast } from "../shared/useToast";
import { LiftCell, OutcomePending, RateCell } from "./TriggerFigures";

export interface ToggleData {
  ok: boolean;
  message?: string;
  error?: string;
  at?: number;
}

const PRIORITY_TONES = {
  low: undefined,
  normal: "info",
  high: "warning",
  urgent: "critical",
} as const;

/** One trigger: what it does in words, its figures, and a switch that saves at once. */
export function TriggerRow({
  row,
  index,
  timeZone,
}: {
  row: PlaybookRow;
  index: number;
  timeZone: string;
}) {
  const fetcher = useFetcher<ToggleData>();
  const done = fetcher.state === "idle" ? fetcher.data : undefined;
  useToast(done?.ok ? done.message : done?.error, {
    isError: done ? !done.ok : false,
    key: done?.at,
  });
  // Optimistic: show the new position while it saves; a refusal falls back to the loader's value.
  const pending = fetcher.formData?.get("enabled");
  const enabled = pending != null ? pending === "true" : row.enabled;

  return (
    <IndexTable.Row id={row.key} position={index}>
      <IndexTable.Cell>
        <Checkbox
          label={`${row.name} is ${enabled ? "on" : "off"}`}
          labelHidden
          checked={enabled}
          disabled={row.invalid !== null}
          onChange={(next) =>
            fetcher.submit(
              { intent: "toggle", key: row.key, enabled: String(next) },
              { method: "post" }
            )
          }
        />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 200, maxWidth: 260, whiteSpace: "normal" }}>
          <BlockStack gap="100">
            <RemixLink
              to={`/app/playbook/${row.key}`}
              style={{ color: "inherit" }}
            >
              <Text as="span" fontWeight="semibold">
                {row.name}
              </Text>
            </RemixLink>
            <Text as="span" tone="subdued" variant="bodySm">
              {row.condition}
            </Text>
            <Text as="span" tone="subdued" variant="bodySm">
              {`For: ${row.segment.toLowerCase()}`}
            </Text>
            <InlineStack gap="100">
              <Badge tone={enabled ? "success" : undefined}>
                {enabled ? "On" : "Off"}
              </Badge>
              {row.isDefault ? (
                <Badge>Default</Badge>
              ) : (
                <Badge tone="info">Custom</Badge>
              )}
              {row.invalid ? <Badge tone="critical">Needs fixing</Badge> : null}
            </InlineStack>
          </BlockStack>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ minWidth: 160, maxWidth: 220, whiteSpace: "normal" }}>
          <BlockStack gap="050">
            {row.plays.map((p) => (
              <Text as="span" key={p} variant="bodySm">
                {p}
              </Text>
            ))}
          </BlockStack>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ maxWidth: 150, whiteSpace: "normal" }}>
          <BlockStack gap="050">
            <Text as="span">{row.owner}</Text>
            <InlineStack gap="100">
              <Badge tone={PRIORITY_TONES[row.priority]}>
                {PRIORITY_LABELS[row.priority]}
              </Badge>
              {row.hasTask ? (
                <Text as="span" tone="subdued" variant="bodySm">
                  {`Task ${dueInWords(row.slaHours).toLowerCase()}`}
                </Text>
              ) : null}
            </InlineStack>
          </BlockStack>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {`${formatCount(row.firings30)} / ${formatCount(row.firings90)}`}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Narrow>
          <RateCell
            value={row.triggerToAction}
            empty="No firings yet"
            of={row.actedOnByTask ? "tasks worked" : "plays delivered"}
          />
        </Narrow>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Narrow>
          {row.decidedOutcomes === 0 ? (
            <OutcomePending
              nextOutcomeAt={row.nextOutcomeAt}
              timeZone={timeZone}
            />
          ) : (
            <RateCell
              value={row.actionToOutcome}
              empty="None acted on has an outcome yet"
            />
          )}
        </Narrow>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Narrow>
          <RateCell
            value={row.falsePositive}
            empty={row.hasTask ? "No tasks closed yet" : "No tasks"}
          />
        </Narrow>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <LiftCell
          lift={row.lift}
          kind={row.outcomeKind}
          holdoutPercent={row.holdoutPercent}
          holdoutFirings={row.holdoutFirings}
          firings={row.firingsTotal}
          decidedOutcomes={row.decidedOutcomes}
        />
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

/** A figure's words wrap in a narrow column instead of widening the table. */
function Narrow({ children }: { children: React.ReactNode }) {
  return (
    <div style={{ minWidth: 90, maxWidth: 130, whiteSpace: "normal" }}>
      {children}
    </div>
  );
}
