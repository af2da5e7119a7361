import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { TriggerReportRow } from "../../playbook/outcomes.server";
import type { Proportion } from "../../playbook/measure";
import { formatCount, formatPercent, formatPoints } from "../shared/format";
import { IntervalChart } from "./IntervalChart";

const share = (p: Proportion) => (p.rate == null ? "–" : `${formatPercent(p.rate)} (${formatCount(p.successes)} of ${formatCount(p.n)})`);

function liftText(t: TriggerReportRow): string {
  const l = t.lift;
  if (l.kind === "insufficient_sample") {
    return `Sample too small: ${formatCount(l.treatedN)} played and ${formatCount(l.holdoutN)} held out with a closed window; ${l.minPerGroup} of each needed`;
  }
  return `${formatPoints(l.difference)} (95%: ${formatPoints(l.lower)} to ${formatPoints(l.upper)})`;
}

export function TriggerSection({ triggers }: { triggers: TriggerReportRow[] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Does each play work?
          </Text>
          <Text as="p" tone="subdued">
            Per trigger: how often it fired, how often someone acted, how often acting ended well, how often its task was a false alarm, and
            the retention lift over subscribers held out from the play, with a 95% interval. An interval that crosses zero means no proven
            effect yet.
          </Text>
        </BlockStack>
        {triggers.length === 0 ? (
          <Text as="p">No trigger has fired yet. Figures appear here once the playbook starts acting.</Text>
        ) : (
          <>
            <IntervalChart
              title="Retention lift over holdout per trigger, with 95% intervals."
              rows={triggers.map((t) => ({
                label: t.triggerName,
                estimate: t.lift.kind === "estimate" ? { value: t.lift.difference, lower: t.lift.lower, upper: t.lift.upper } : null,
              }))}
            />
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
              headings={["Trigger", "Fired", "Held out", "Acted on", "Ended well after acting", "False alarms", "Lift over holdout"]}
              rows={triggers.map((t) => [
                t.triggerName,
                formatCount(t.firings),
                formatCount(t.holdoutFirings),
                share(t.triggerToAction),
                share(t.actionToOutcome),
                share(t.falsePositive),
                liftText(t),
              ])}
            />
          </>
        )}
      </BlockStack>
    </Card>
  );
}
