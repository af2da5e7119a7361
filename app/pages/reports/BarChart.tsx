import { useId } from "react";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";

export interface Bar {
  label: string;
  value: number | null;
  color: string;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 28, left: 48 };

function niceMax(n: number): number {
  if (n <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (n <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

/**
 * Vertical bars, hand-made SVG so it renders on the server like the rest of the page.
 * `title` is read by screen readers; the figures are always in a table next to it.
 */
export function BarChart({
  bars,
  title,
  format,
  legend,
}: {
  bars: Bar[];
  title: string;
  format: (v: number) => string;
  legend?: { label: string; color: string }[];
}) {
  const titleId = useId();
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value ?? 0)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.min(40, slot * 0.65);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  return (
    <BlockStack gap="200">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={titleId} style={{ maxHeight: 240, display: "block" }}>
        <title id={titleId}>{title}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="#e3e3e3" />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill="#616161">
              {format(max * f)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = PAD.left + slot * i + (slot - barW) / 2;
          const v = b.value ?? 0;
          return (
            <g key={`${b.label}-${i}`}>
              {b.value != null && v > 0 ? <rect x={x} width={barW} y={y(v)} height={y(0) - y(v)} fill={b.color} rx={2} /> : null}
              <text x={x + barW / 2} y={HEIGHT - 10} textAnchor="middle" fontSize="11" fill="#616161">
                {b.label}
              </text>
            </g>
          );
        })}
      </svg>
      {legend ? (
        <InlineStack gap="300">
          {legend.map((l) => (
            <InlineStack key={l.label} gap="100" blockAlign="center">
              <span aria-hidden style={{ width: 10, height: 10, borderRadius: 2, background: l.color, display: "inline-block" }} />
              <Text as="span" variant="bodySm">
                {l.label}
              </Text>
            </InlineStack>
          ))}
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}
