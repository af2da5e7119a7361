import { useState } from "react";
import { Banner, BlockStack, Box, Card, DataTable, InlineGrid, RangeSlider, SkeletonBodyText, Text } from "@shopify/polaris";
import type { ScoreValidationReport } from "./reports.server";
import { simulateFromCurve } from "./threshold";
import { BAND_COLORS, BAND_LABELS } from "../shared/BandBadge";
import { formatCount, formatPercent } from "../shared/format";
import { ComputedNote, computedFrom } from "../shared/ComputedNote";
import { BarChart } from "./BarChart";
import { Figure } from "./Figure";

const COMPARE_AT = [35, 45, 55, 65, 75];

/** Small weekly counts keep a decimal: "0 flagged a week" beside "4% caught" reads as a contradiction. */
function perWeek(n: number): string {
  return n < 10 ? n.toFixed(1) : formatCount(Math.round(n));
}

export function ValidationSection({ report }: { report: ScoreValidationReport | undefined }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Does the health score predict cancellations?
          </Text>
          <Text as="p" tone="subdued">
            The score replayed every week over the last half year, using only what was known that week, against who actually cancelled in the
            following {report?.horizonDays ?? 30} days.
          </Text>
        </BlockStack>
        {!report ? (
          <SkeletonBodyText lines={5} />
        ) : report.status === "computing" ? (
          <Banner tone="info" title="Still being computed">
            <p>Lifeline is replaying your store's history with the current score settings. This takes a few minutes after a rescore; the figures appear here when it is done.</p>
          </Banner>
        ) : report.status === "not_enough_data" ? (
          <BlockStack gap="200">
            <Banner tone="info" title="Not enough cancellations to judge the score yet">
              <p>{report.message}</p>
            </Banner>
            <ComputedNote computedAt={report.computedAt} sample={report.sample} timeZone={report.timeZone} />
          </BlockStack>
        ) : (
          <ValidationFigures report={report} />
        )}
      </BlockStack>
    </Card>
  );
}

function ValidationFigures({ report }: { report: Extract<ScoreValidationReport, { status: "ok" }> }) {
  const [threshold, setThreshold] = useState(report.currentThreshold);
  const sim = simulateFromCurve(report.curve, threshold);
  const k = report.atK;
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
        <Figure label="Ranking accuracy (AUC)" value={report.auc.toFixed(2)} detail="1.00 ranks every canceller below every stayer; 0.50 is a coin flip." />
        <Figure
          label="Caught in the riskiest 10%"
          value={formatPercent(k.recall)}
          detail={`of cancels within ${report.horizonDays} days were among the ${formatCount(k.k)} lowest scores (recall).`}
        />
        <Figure label="Right when flagged" value={formatPercent(k.precision)} detail="of the riskiest 10% did cancel (precision)." />
        <Figure label="Better than random" value={`${k.lift.toFixed(1)}×`} detail={`Random picks would find cancels ${formatPercent(k.baseRate, 1)} of the time.`} />
      </InlineGrid>
      <Text as="p" tone="subdued" variant="bodySm">
        {formatCount(report.cancels)} subscribers cancelled in the period checked; {formatCount(report.observations)} weekly scores were compared.{" "}
        {computedFrom(report.computedAt, report.sample, report.timeZone)}
      </Text>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Cancel rate by health band
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          A well-calibrated score shows the rate rising from healthy to critical.
        </Text>
        <BarChart
          bars={report.calibration.map((c) => ({ label: BAND_LABELS[c.band], value: c.churnRate, color: BAND_COLORS[c.band] }))}
          title={`Share who cancelled within ${report.horizonDays} days, by band: ${report.calibration
            .map((c) => `${BAND_LABELS[c.band]} ${formatPercent(c.churnRate)}`)
            .join(", ")}.`}
          format={(v) => formatPercent(v)}
        />
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={["Band", "Weekly scores in it", "Cancelled within the horizon", "Cancel rate"]}
          rows={report.calibration.map((c) => [BAND_LABELS[c.band], formatCount(c.subscribers), formatCount(c.churned), formatPercent(c.churnRate, 1)])}
        />
      </BlockStack>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Try a threshold
        </Text>
        <Box maxWidth="480px">
          <RangeSlider
            label="Flag subscribers scoring below"
            min={0}
            max={100}
            step={1}
            value={threshold}
            onChange={(v) => setThreshold(typeof v === "number" ? v : v[0])}
            output
            helpText={`Today, subscribers below ${report.currentThreshold} are at risk or critical.`}
          />
        </Box>
        <Text as="p" fontWeight="semibold">
          Below {sim.threshold}: about {perWeek(sim.flaggedPerCheckpoint)} subscribers flagged a week, and {formatPercent(sim.catchRate)} of past
          cancellations ({formatCount(sim.caught)} of {formatCount(sim.cancels)}) would have been flagged in the {sim.horizonDays} days before they
          cancelled.
        </Text>
        <DataTable
          columnContentTypes={["numeric", "numeric", "numeric"]}
          headings={["Flag below", "Flagged a week", "Past cancellations caught"]}
          rows={[...new Set([...COMPARE_AT, sim.threshold])]
            .sort((a, b) => a - b)
            .map((t) => {
              const s = simulateFromCurve(report.curve, t);
              return [t === sim.threshold ? `${t} (chosen)` : String(t), perWeek(s.flaggedPerCheckpoint), formatPercent(s.catchRate)];
            })}
        />
      </BlockStack>
    </BlockStack>
  );
}
