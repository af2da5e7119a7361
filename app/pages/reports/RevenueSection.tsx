import { Banner, BlockStack, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import type { RevenueAtRisk } from "./reports.server";
import type { RevenueSaved } from "./revenue-saved";
import { BAND_COLORS, BAND_LABELS } from "../shared/BandBadge";
import { formatCount, formatMoney, formatMoneyTotals, formatPercent, formatPoints } from "../shared/format";
import { BarChart } from "./BarChart";
import { Figure } from "./Figure";

const PLAYED = "#2c6ecb";
const HELD = "#b5b5b5";
const range = (lo: string, hi: string) => `${lo} to ${hi}`;
const subscribers = (n: number) => `${formatCount(n)} subscriber${n === 1 ? "" : "s"}`;

export function RevenueSection({
  atRisk,
  saved,
  currency,
}: {
  atRisk: RevenueAtRisk;
  saved: RevenueSaved & { names: Record<string, string> };
  currency: string;
}) {
  const name = (id: string) => saved.names[id] ?? id;
  const total = saved.total;
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Revenue at risk now
            </Text>
            <Text as="p" tone="subdued">
              The monthly value of subscribers whose health is at risk or critical today.
            </Text>
          </BlockStack>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
            <Figure label="At risk or critical" value={formatMoneyTotals(atRisk.monthly, currency)} detail={`a month, ${subscribers(atRisk.subscribers)}`} />
            {atRisk.byBand.map((b) => (
              <Figure key={b.band} label={BAND_LABELS[b.band]} value={formatMoneyTotals(b.monthly, currency)} detail={`a month, ${subscribers(b.subscribers)}`} />
            ))}
          </InlineGrid>
          <BarChart
            bars={atRisk.byBand.map((b) => ({ label: BAND_LABELS[b.band], value: b.monthly[currency] ?? 0, color: BAND_COLORS[b.band] }))}
            title={`Monthly revenue at risk in ${currency}: ${atRisk.byBand.map((b) => `${BAND_LABELS[b.band]} ${formatMoney(b.monthly[currency] ?? 0, currency)}`).join(", ")}.`}
            format={(v) => formatMoney(v, currency)}
          />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Revenue saved by plays
            </Text>
            <Text as="p" tone="subdued">
              Saved means the difference a play made: the share still subscribed at the end of the outcome window after a play, minus the same
              share among the held-out subscribers the play was not sent to. Subscribers who would have stayed anyway are not counted.
            </Text>
          </BlockStack>
          {total ? (
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              <Figure
                label="Monthly revenue saved"
                value={formatMoney(total.monthly, currency)}
                detail={`95% interval ${range(formatMoney(total.monthlyLower, currency), formatMoney(total.monthlyUpper, currency))}, over ${total.measuredTriggers} trigger${total.measuredTriggers === 1 ? "" : "s"} with enough data`}
              />
              <Figure
                label="Subscribers saved"
                value={total.subscribers.toFixed(1)}
                detail={`95% interval ${range(total.subscribersLower.toFixed(1), total.subscribersUpper.toFixed(1))}`}
              />
            </InlineGrid>
          ) : (
            <Banner tone="info" title="Not enough closed outcomes to claim anything saved yet">
              <p>
                Each trigger needs at least {saved.minPerGroup} played and {saved.minPerGroup} held-out firings whose outcome window has closed.
                {saved.pending > 0 ? ` ${formatCount(saved.pending)} firings are still inside their window.` : ""}
              </p>
            </Banner>
          )}
          {saved.triggers.length > 0 ? (
            <>
              <BarChart
                bars={saved.triggers.flatMap((t, i) => [
                  { label: `#${i + 1}`, value: t.treated.share, color: PLAYED },
                  { label: "", value: t.holdout.share, color: HELD },
                ])}
                title="Share still subscribed at the end of the outcome window, played against held out, per trigger (in the table's order)."
                format={(v) => formatPercent(v)}
                legend={[
                  { label: "Played", color: PLAYED },
                  { label: "Held out", color: HELD },
                ]}
              />
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Trigger", "Still subscribed after a play", "Still subscribed, held out", "Lift over holdout", "Subscribers saved", "Monthly revenue saved"]}
                rows={saved.triggers.map((t, i) => {
                  const s = t.saved;
                  const group = (g: typeof t.treated) => (g.decided ? `${formatPercent(g.share)} of ${formatCount(g.decided)}` : "none closed yet");
                  return [
                    `#${i + 1} ${name(t.triggerId)}`,
                    group(t.treated),
                    group(t.holdout),
                    s.kind === "estimate" ? `${formatPoints(s.lift)} (${range(formatPoints(s.liftLower), formatPoints(s.liftUpper))})` : "Sample too small",
                    s.kind === "estimate" ? `${s.subscribers.toFixed(1)} (${range(s.subscribersLower.toFixed(1), s.subscribersUpper.toFixed(1))})` : "–",
                    s.kind === "estimate"
                      ? `${formatMoney(s.monthly, currency)} (${range(formatMoney(s.monthlyLower, currency), formatMoney(s.monthlyUpper, currency))})`
                      : "–",
                  ];
                })}
              />
            </>
          ) : (
            <Text as="p">No trigger has fired yet.</Text>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
