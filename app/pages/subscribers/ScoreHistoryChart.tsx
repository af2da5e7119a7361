import { useId, useState } from "react";
import { BandLegend } from "../shared/BandLegend";
import { BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { SubscriberDetail } from "./subscribers.server";
import { BAND_COLORS, bandLabel, type BandName } from "../shared/BandBadge";
import { formatDate, weekLabel, weekLabelLong } from "../shared/format";

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 36 };

const color = (band: string) => BAND_COLORS[band as BandName] ?? "#8a8a8a";

/**
 * The weekly score as a line (each week's dot in its band's colour), with the band
 * changes listed below; the same figures are one click away as tables.
 */
export function ScoreHistoryChart({
  history,
  bandChanges,
  timeZone,
  ended = false,
}: {
  history: SubscriberDetail["history"];
  bandChanges: SubscriberDetail["bandChanges"];
  timeZone: string;
  /** Every subscription has ended: no weekly score is still to come. */
  ended?: boolean;
}) {
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = history.length > 1 ? plotW / (history.length - 1) : 0;
  const x = (i: number) => (history.length > 1 ? PAD.left + step * i : PAD.left + plotW / 2);
  const y = (score: number) => PAD.top + plotH - (score / 100) * plotH;
  const first = history[0];
  const last = history.at(-1);
  const summary =
    first && last
      ? `From ${first.score} in the week of ${weekLabel(first.week)} to ${last.score} (${bandLabel(last.band).toLowerCase()}) in the week of ${weekLabel(last.week)}.`
      : "No weekly scores yet.";
  // Label every other week at most, always the latest.
  const labelEvery = Math.max(1, Math.ceil(history.length / 8));

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Score history
        </Text>
        {history.length === 0 ? (
          <Text as="p" tone="subdued">
            {ended ? "No weekly score in the last 26 weeks: their subscription had ended." : "The first weekly score is recorded at the next scoring."}
          </Text>
        ) : (
          <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={titleId} style={{ maxHeight: 240, display: "block" }}>
            <title id={titleId}>{`Weekly health score over the last ${history.length} ${history.length === 1 ? "week" : "weeks"}. ${summary}`}</title>
            {[0, 25, 50, 75, 100].map((v) => (
              <g key={v}>
                <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} stroke="#e3e3e3" />
                <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#616161">
                  {v}
                </text>
              </g>
            ))}
            {history.length > 1 ? (
              <polyline points={history.map((h, i) => `${x(i)},${y(h.score)}`).join(" ")} fill="none" stroke="#616161" strokeWidth="2" />
            ) : null}
            {history.map((h, i) => (
              <g key={h.week}>
                <circle cx={x(i)} cy={y(h.score)} r="4" fill={color(h.band)} />
                {(history.length - 1 - i) % labelEvery === 0 ? (
                  <text x={x(i)} y={HEIGHT - 10} textAnchor="middle" fontSize="11" fill="#616161">
                    {weekLabel(h.week)}
                  </text>
                ) : null}
              </g>
            ))}
          </svg>
        )}
        <InlineStack gap="400" align="space-between" blockAlign="center">
          <BandLegend marker="dot" />
          {history.length > 0 ? (
            <Button variant="plain" onClick={() => setShowTable((v) => !v)} ariaExpanded={showTable}>
              {showTable ? "Hide the figures" : "Show the figures"}
            </Button>
          ) : null}
        </InlineStack>
        {showTable ? (
          <DataTable
            columnContentTypes={["text", "numeric", "text"]}
            headings={["Week of", "Score", "Band"]}
            rows={[...history].reverse().map((h) => [weekLabelLong(h.week), h.score, bandLabel(h.band)])}
          />
        ) : null}
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Band changes
          </Text>
          {bandChanges.length === 0 ? (
            <Text as="p" tone="subdued">
              No change of band recorded.
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "numeric"]}
              headings={["Date", "Change", "Score"]}
              rows={bandChanges.map((c) => [
                formatDate(c.at, timeZone),
                c.from ? `${bandLabel(c.from)} → ${bandLabel(c.to)}` : `First scored: ${bandLabel(c.to)}`,
                c.score,
              ])}
            />
          )}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
