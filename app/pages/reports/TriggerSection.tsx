import type { ReactNode } from "react";
import { BlockStack, Box, Card, IndexTable, InlineGrid, Text, useBreakpoints } from "@shopify/polaris";
import type { ReportTrigger } from "./reports.server";
import { liftInWords } from "../../playbook/describe";
import { formatCount } from "../shared/format";
import { OutcomePending, RateCell } from "../playbook/TriggerFigures";
import { IntervalChart } from "./IntervalChart";

const HEADINGS = ["Trigger", "Fired", "Acted on", "Ended well after acting", "False alarms", "Compared with the held-out group"] as const;

/** A cell's text wraps inside the card instead of widening the table. */
function Wrap({ children, min = 90, max = 240 }: { children: ReactNode; min?: number; max?: number }) {
  return <div style={{ minWidth: min, maxWidth: max, whiteSpace: "normal" }}>{children}</div>;
}

/** A figure under its column's name, for the condensed list. */
function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      {children}
    </BlockStack>
  );
}

/** One trigger's figures, as cells for the wide table or lines for the condensed one. */
function figuresOf(t: ReportTrigger, timeZone: string) {
  const words = t.decidedOutcomes > 0 ? liftInWords(t.lift, t.outcomeKind) : null;
  return {
    fired: (
      <BlockStack gap="050">
        <Text as="span" numeric>
          {formatCount(t.firings)}
        </Text>
        <Text as="span" tone="subdued" variant="bodySm" numeric>
          {`${formatCount(t.holdoutFirings)} held out`}
        </Text>
      </BlockStack>
    ),
    acted: <RateCell value={t.triggerToAction} empty="None played yet" of={t.hasTasks ? "tasks worked" : "plays delivered"} />,
    endedWell:
      t.decidedOutcomes === 0 ? (
        <OutcomePending nextOutcomeAt={t.nextOutcomeAt} timeZone={timeZone} />
      ) : (
        <RateCell value={t.actionToOutcome} empty="None acted on has an outcome yet" />
      ),
    falseAlarms: <RateCell value={t.falsePositive} empty={t.hasTasks ? "No tasks closed yet" : "No tasks"} />,
    lift: words ? (
      <BlockStack gap="050">
        <Text as="span" fontWeight="semibold" tone={words.verdict === "better" ? "success" : words.verdict === "worse" ? "critical" : undefined}>
          {words.headline}
        </Text>
        <Text as="span" tone="subdued" variant="bodySm">
          {words.detail}
        </Text>
      </BlockStack>
    ) : (
      <Text as="span" tone="subdued">
        Once outcomes are in
      </Text>
    ),
  };
}

export function TriggerSection({ triggers, timeZone }: { triggers: ReportTrigger[]; timeZone: string }) {
  const { smDown } = useBreakpoints();
  const estimated = triggers.filter((t) => t.lift.kind === "estimate");
  return (
    <Card padding="0">
      <BlockStack gap="400">
        <Box paddingInline="400" paddingBlockStart="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Does each play work?
            </Text>
            <Text as="p" tone="subdued">
              Per trigger: how often it fired, how often it was acted on (its task worked, or its Klaviyo event delivered), how often that ended
              well, and how often its task was a false alarm. Then the difference the play made: the subscribers it fired for, against those
              held out from the play. The figures about outcomes appear once the first outcome windows close.
            </Text>
          </BlockStack>
        </Box>
        {triggers.length === 0 ? (
          <Box paddingInline="400" paddingBlockEnd="400">
            <Text as="p">No trigger has fired yet. Figures appear here once the playbook starts acting.</Text>
          </Box>
        ) : (
          <>
            {estimated.length > 0 ? (
              <Box paddingInline="400">
                <IntervalChart
                  title="Difference in the share still subscribed, played against held out, per trigger, with 95% intervals."
                  rows={estimated.map((t) => ({
                    label: t.triggerName,
                    estimate: t.lift.kind === "estimate" ? { value: t.lift.difference, lower: t.lift.lower, upper: t.lift.upper } : null,
                  }))}
                />
              </Box>
            ) : null}
            <IndexTable
              resourceName={{ singular: "trigger", plural: "triggers" }}
              itemCount={triggers.length}
              selectable={false}
              condensed={smDown}
              headings={HEADINGS.map((title) => ({ title })) as [{ title: string }, ...{ title: string }[]]}
            >
              {triggers.map((t, i) => {
                const f = figuresOf(t, timeZone);
                return (
                  <IndexTable.Row id={t.triggerId} key={t.triggerId} position={i}>
                    {smDown ? (
                      <div style={{ padding: "12px 16px", width: "100%" }}>
                        <BlockStack gap="200">
                          <Text as="span" fontWeight="semibold">
                            {t.triggerName}
                          </Text>
                          <InlineGrid columns={2} gap="200">
                            {[f.fired, f.acted, f.endedWell, f.falseAlarms].map((cell, k) => (
                              <Labelled key={HEADINGS[k + 1]} label={HEADINGS[k + 1]}>
                                {cell}
                              </Labelled>
                            ))}
                          </InlineGrid>
                          <Labelled label={HEADINGS[5]}>{f.lift}</Labelled>
                        </BlockStack>
                      </div>
                    ) : (
                      <>
                        <IndexTable.Cell>
                          <Wrap min={140} max={220}>
                            <Text as="span" fontWeight="semibold">
                              {t.triggerName}
                            </Text>
                          </Wrap>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{f.fired}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <Wrap>{f.acted}</Wrap>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Wrap>{f.endedWell}</Wrap>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Wrap>{f.falseAlarms}</Wrap>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Wrap min={180} max={280}>
                            {f.lift}
                          </Wrap>
                        </IndexTable.Cell>
                      </>
                    )}
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
