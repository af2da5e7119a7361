import { BlockStack, Card, Text } from "@shopify/polaris";
import type { CohortRetention } from "./cohorts";
import { formatCount, formatPercent } from "../shared/format";
import { BarChart } from "./BarChart";

const monthName = new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
/** "2026-03" -> "Mar 2026" */
const cohortLabel = (key: string) => monthName.format(new Date(`${key}-01T00:00:00Z`));

/** Green for most kept, fading to red: the triangle reads as a heat map. */
function cellShade(share: number): string {
  const hue = Math.round(Math.max(0, Math.min(1, (share - 0.4) / 0.6)) * 120);
  return `hsl(${hue} 60% 90%)`;
}

export function CohortSection({ cohorts }: { cohorts: CohortRetention }) {
  const afterLabel = (k: number) => `After ${k} month${k === 1 ? "" : "s"}`;
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Retention by signup month
          </Text>
          <Text as="p" tone="subdued">
            Subscribers grouped by the month they signed up: the share still subscribed after 1, 2, 3, 6 and 12 months. A cell fills in once
            everyone in that group has been subscribed that long.
          </Text>
        </BlockStack>
        {cohorts.cohorts.length === 0 ? (
          <Text as="p">No subscribers yet.</Text>
        ) : (
          <>
            <BarChart
              bars={cohorts.months.map((k, i) => ({ label: `${k} mo`, value: cohorts.average[i], color: "#29845a" }))}
              title={`Share still subscribed, all signup months together: ${cohorts.months
                .map((k, i) => `${formatPercent(cohorts.average[i])} after ${k} months`)
                .join(", ")}.`}
              format={(v) => formatPercent(v)}
            />
            <Text as="p" tone="subdued" variant="bodySm">
              All signup months together, weighted by their size.
            </Text>
            <div style={{ overflowX: "auto" }}>
              <table style={{ borderCollapse: "collapse", width: "100%", fontVariantNumeric: "tabular-nums" }}>
                <thead>
                  <tr>
                    <th scope="col" style={th("left")}>Signed up</th>
                    <th scope="col" style={th("right")}>Subscribers</th>
                    {cohorts.months.map((k) => (
                      <th key={k} scope="col" style={th("right")}>
                        {afterLabel(k)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...cohorts.cohorts].reverse().map((c) => (
                    <tr key={c.cohort}>
                      <th scope="row" style={{ ...td, textAlign: "left", fontWeight: 500 }}>
                        {cohortLabel(c.cohort)}
                      </th>
                      <td style={{ ...td, textAlign: "right" }}>{formatCount(c.size)}</td>
                      {c.retention.map((r, i) => (
                        <td
                          key={cohorts.months[i]}
                          style={{ ...td, textAlign: "right", background: r == null ? undefined : cellShade(r) }}
                          title={r == null ? "Not everyone in this group has been subscribed that long yet" : `${formatCount(c.stillSubscribed[i] ?? 0)} of ${formatCount(c.size)}`}
                        >
                          {r == null ? "" : formatPercent(r)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </BlockStack>
    </Card>
  );
}

const td = { padding: "6px 10px", borderBottom: "1px solid #ebebeb" } as const;
const th = (align: "left" | "right") => ({ ...td, textAlign: align, fontWeight: 600, color: "#616161" }) as const;
