import { useId, useState } from "react";
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Button, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import type { DryRunPreview as Preview } from "./playbook-editor.server";
import { formatCount, weekLabel } from "../shared/format";

// Drawn small so the labels stay legible in the editor's side column.
const WIDTH = 360;
const HEIGHT = 150;
const PAD = { top: 10, right: 6, bottom: 22, left: 28 };

/** How often the trigger would have fired each week, and for whom (the first 20). */
export function DryRunPreview({ preview, stale }: { preview: Preview; stale: boolean }) {
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const weeks = preview.perWeek;
  const max = Math.max(1, ...weeks.map((w) => w.count));
  const perWeek = preview.totalFirings / Math.max(1, weeks.length);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, weeks.length);
  const barW = Math.min(28, slot * 0.6);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const summary = `Would have fired ${formatCount(preview.totalFirings)} ${preview.totalFirings === 1 ? "time" : "times"} for ${formatCount(preview.subscribersAffected)} ${preview.subscribersAffected === 1 ? "subscriber" : "subscribers"} over the last ${preview.windowDays} days: about ${perWeek.toFixed(1)} a week.`;
  const more = preview.subscribersAffected - preview.subscribers.length;

  return (
    <BlockStack gap="300">
      {stale ? <Badge tone="attention">The condition changed since this preview: run it again before saving</Badge> : null}
      <Text as="p" fontWeight="semibold">
        {summary}
      </Text>
      <Text as="p" tone="subdued" variant="bodySm">
        {`Replayed the ${formatCount(preview.checked.replayed)} of your ${formatCount(preview.checked.of)} subscribers whose last ${preview.windowDays} days could have set it off; the others had nothing that could.`}
      </Text>
      {preview.suppressed.segment + preview.suppressed.cooldown > 0 ? (
        <Text as="p" tone="subdued">
          {`Held back: ${formatCount(preview.suppressed.segment)} outside the segment, ${formatCount(preview.suppressed.cooldown)} within the cooldown. Holdout and the weekly cap are not applied in a preview.`}
        </Text>
      ) : (
        <Text as="p" tone="subdued">
          Holdout and the weekly cap are not applied in a preview.
        </Text>
      )}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={titleId} style={{ maxHeight: 200, display: "block" }}>
        <title id={titleId}>{`Firings per week over the last ${preview.windowDays} days. ${summary}`}</title>
        {[0, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="#e3e3e3" />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill="#616161">
              {formatCount(max * f)}
            </text>
          </g>
        ))}
        {weeks.map((w, i) => {
          const x = PAD.left + slot * i + (slot - barW) / 2;
          return (
            <g key={w.weekStart}>
              {w.count > 0 ? <rect x={x} width={barW} y={y(w.count)} height={y(0) - y(w.count)} fill="#2c6ecb" /> : null}
              <text x={x + barW / 2} y={HEIGHT - 8} textAnchor="middle" fontSize="10" fill="#616161">
                {i % 3 === (weeks.length - 1) % 3 ? weekLabel(w.weekStart) : ""}
              </text>
            </g>
          );
        })}
      </svg>
      <InlineStack align="end">
        <Button variant="plain" onClick={() => setShowTable((v) => !v)} ariaExpanded={showTable}>
          {showTable ? "Hide the figures" : "Show the figures"}
        </Button>
      </InlineStack>
      {showTable ? (
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={["Week of", "Would have fired"]}
          rows={[...weeks].reverse().map((w) => [weekLabel(w.weekStart), formatCount(w.count)])}
        />
      ) : null}
      {preview.subscribers.length > 0 ? (
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {preview.subscribers.length < preview.subscribersAffected ? `The first ${preview.subscribers.length} subscribers it would have fired for` : "Subscribers it would have fired for"}
          </Text>
          <List type="bullet" gap="extraTight">
            {preview.subscribers.map((s) => (
              <List.Item key={s.id}>
                <RemixLink to={`/app/subscribers/${s.id}`}>{s.name}</RemixLink>
                {s.email && s.email !== s.name ? ` (${s.email})` : ""}
                {s.status === "cancelled" ? " · cancelled" : s.status === "paused" ? " · paused" : ""}
              </List.Item>
            ))}
          </List>
          {more > 0 ? (
            <Text as="p" tone="subdued">
              {`and ${formatCount(more)} more`}
            </Text>
          ) : null}
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}
