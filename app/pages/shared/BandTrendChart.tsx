import { useId, useState } from "react";
import { BandLegend } from "./BandLegend";
import { BlockStack, Button, DataTable, InlineStack } from "@shopify/polaris";
import { BAND_COLORS, BAND_LABELS, BAND_ORDER, type BandName } from "./BandBadge";
import { formatCount, weekLabel } from "./format";

export type TrendWeek = { week: string } & Record<BandName, number>;

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 44 };

function niceMax(n: number): number {
  if (n <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (n <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

/** Subscribers by band, week by week: stacked bars, with the same figures as a table. */
export function BandTrendChart({ weeks }: { weeks: TrendWeek[] }) {
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const totals = weeks.map((w) => BAND_ORDER.reduce((s, b) => s + w[b], 0));
  const max = niceMax(Math.max(1, ...totals));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, weeks.length);
  const barW = Math.min(36, slot * 0.6);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const last = weeks.at(-1);
  const summary = last
    ? `Week of ${weekLabel(last.week)}: ${BAND_ORDER.map((b) => `${formatCount(last[b])} ${BAND_LABELS[b].toLowerCase()}`).join(", ")}.`
    : "No weekly history yet.";

  return (
    <BlockStack gap="300">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={titleId} style={{ maxHeight: 260, display: "block" }}>
        <title id={titleId}>{`Subscribers by health band over the last ${weeks.length} weeks. ${summary}`}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="#e3e3e3" />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill="#616161">
              {formatCount(max * f)}
            </text>
          </g>
        ))}
        {weeks.map((w, i) => {
          const x = PAD.left + slot * i + (slot - barW) / 2;
          let base = 0;
          return (
            <g key={w.week}>
              {BAND_ORDER.map((b) => {
                const top = base + w[b];
                const rect = w[b] > 0 ? <rect key={b} x={x} width={barW} y={y(top)} height={y(base) - y(top)} fill={BAND_COLORS[b]} /> : null;
                base = top;
                return rect;
              })}
              <text x={x + barW / 2} y={HEIGHT - 10} textAnchor="middle" fontSize="11" fill="#616161">
                {i % 2 === (weeks.length - 1) % 2 ? weekLabel(w.week) : ""}
              </text>
            </g>
          );
        })}
      </svg>
      <InlineStack gap="400" align="space-between" blockAlign="center">
        <BandLegend marker="square" />
        <Button variant="plain" onClick={() => setShowTable((v) => !v)} ariaExpanded={showTable}>
          {showTable ? "Hide the figures" : "Show the figures"}
        </Button>
      </InlineStack>
      {showTable ? (
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Week of", ...BAND_ORDER.map((b) => BAND_LABELS[b])]}
          rows={[...weeks].reverse().map((w) => [weekLabel(w.week), ...BAND_ORDER.map((b) => formatCount(w[b]))])}
        />
      ) : null}
    </BlockStack>
  );
}
