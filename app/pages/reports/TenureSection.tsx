import { BlockStack, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import type { ChurnByTenure } from "./tenure";
import { EXPERIENCE_FROM, ONBOARDING_MONTHS } from "./tenure";
import { formatCount, formatPercent } from "../shared/format";
import { BarChart } from "./BarChart";
import { Figure } from "./Figure";

/** A whole percentage from wholePercents (they add up to 100), or a dash with no cancellations. */
const percent = (p: number | null) => (p == null ? "–" : `${p}%`);

const STAGE_COLORS = { onboarding: "#e5781b", between: "#8a8a8a", experience: "#6b3fd4" };

function stageOf(month: number): keyof typeof STAGE_COLORS {
  if (month <= ONBOARDING_MONTHS) return "onboarding";
  return month >= EXPERIENCE_FROM ? "experience" : "between";
}

export function TenureSection({ tenure }: { tenure: ChurnByTenure }) {
  const bars = tenure.buckets.map((b) => ({ label: b.label, value: b.monthlyCancelRate, color: STAGE_COLORS[stageOf(b.month)] }));
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Churn by tenure
          </Text>
          <Text as="p" fontWeight="semibold">
            {tenure.reading}
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
          <Figure
            label="Months 1-3: onboarding"
            value={percent(tenure.onboarding.percent)}
            detail="of cancellations. They never reached the outcome they subscribed for."
          />
          <Figure label="Months 4-5" value={percent(tenure.between.percent)} detail="of cancellations." />
          <Figure
            label="Month 6 on: experience"
            value={percent(tenure.experience.percent)}
            detail="of cancellations. The product or service wore thin."
          />
        </InlineGrid>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            Monthly cancel rate by month of tenure
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            Of the subscribers in each month of their subscription, the share who cancelled in it. Rates, not counts, so that a month few
            subscribers have reached yet is not made to look safe.
          </Text>
        </BlockStack>
        <BarChart
          bars={bars}
          title={`Monthly cancel rate by month of tenure. ${tenure.reading}`}
          format={(v) => formatPercent(v)}
          legend={[
            { label: "Onboarding (months 1-3)", color: STAGE_COLORS.onboarding },
            { label: "Months 4-5", color: STAGE_COLORS.between },
            { label: "Experience (month 6 on)", color: STAGE_COLORS.experience },
          ]}
        />
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Month of tenure", "Subscribers who reached it", "Cancelled in it", "Share of all cancellations", "Monthly cancel rate"]}
          rows={tenure.buckets.map((b) => [
            b.label,
            formatCount(b.reached),
            formatCount(b.cancelled),
            percent(b.sharePercent),
            formatPercent(b.monthlyCancelRate, 1),
          ])}
          totals={["", "", formatCount(tenure.cancels), tenure.cancels > 0 ? "100%" : "–", ""]}
          showTotalsInFooter
        />
      </BlockStack>
    </Card>
  );
}
