import type { LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { BlockStack, Card, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { reportsOverview, scoreValidationReport, type ScoreValidationReport } from "../pages/reports/reports.server";
import { REPORT_SECTIONS, SCORE_CHECK_POLL_MS } from "../pages/reports/options";
import { BandTrendChart } from "../pages/shared/BandTrendChart";
import { TenureSection } from "../pages/reports/TenureSection";
import { CohortSection } from "../pages/reports/CohortSection";
import { RevenueSection } from "../pages/reports/RevenueSection";
import { TriggerSection } from "../pages/reports/TriggerSection";
import { ValidationSection } from "../pages/reports/ValidationSection";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

const querySchema = z.object({
  section: z.enum(REPORT_SECTIONS).optional(),
  threshold: z.coerce.number().int().min(0).max(100).optional(),
});

// The page answers with the quick reports; score validation (read from the stored score
// check) is asked for separately (?section=validation) once its tab is on screen.

export const handle = pageHandle("Reports");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Bad request: section must be validation, threshold a whole number from 0 to 100.", { status: 400 });
  const now = new Date();
  if (parsed.data.section === "validation") return scoreValidationReport(session.shop, now, parsed.data.threshold);
  return reportsOverview(session.shop, now);
};

const TABS = [
  { id: "tenure", content: "Churn by tenure" },
  { id: "cohorts", content: "Retention by signup month" },
  { id: "health", content: "Health over time" },
  { id: "revenue", content: "Revenue" },
  { id: "triggers", content: "Plays" },
  { id: "validation", content: "Score accuracy" },
].map((t) => ({ ...t, panelID: `reports-${t.id}` }));

export default function Reports() {
  const data = useLoaderData<typeof loader>();
  const validation = useFetcher<typeof loader>();
  const [selected, setSelected] = useState(0);
  const onValidation = TABS[selected].id === "validation";

  useEffect(() => {
    if (onValidation && validation.state === "idle" && validation.data == null) validation.load("/app/reports?section=validation");
  }, [onValidation, validation]);
  // While the score check is being computed, look again now and then.
  const computing = (validation.data as ScoreValidationReport | undefined)?.status === "computing";
  useEffect(() => {
    if (!onValidation || !computing || validation.state !== "idle") return;
    const timer = setTimeout(() => validation.load("/app/reports?section=validation"), SCORE_CHECK_POLL_MS);
    return () => clearTimeout(timer);
  }, [onValidation, computing, validation]);

  if (data.section !== "overview") return null;
  const fetched = validation.data as ScoreValidationReport | undefined;

  return (
    <Page title="Reports" subtitle="When subscribers leave, who stays, and what the playbook changes." primaryAction={{ content: "See this week's at-risk list", url: "/app/at-risk" }}>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Tabs tabs={TABS} selected={selected} onSelect={setSelected} />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <div id={TABS[selected].panelID} role="tabpanel">
            {TABS[selected].id === "tenure" ? <TenureSection tenure={data.tenure} /> : null}
            {TABS[selected].id === "cohorts" ? <CohortSection cohorts={data.cohorts} /> : null}
            {TABS[selected].id === "health" ? (
              <Card>
                <BlockStack gap="300">
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingMd">
                      Health over time
                    </Text>
                    <Text as="p" tone="subdued">
                      Subscribers in each health band, week by week (Monday to Monday, {data.timeZone}), from the weekly score snapshots.
                    </Text>
                  </BlockStack>
                  <BandTrendChart weeks={data.health} />
                </BlockStack>
              </Card>
            ) : null}
            {TABS[selected].id === "revenue" ? <RevenueSection atRisk={data.revenueAtRisk} saved={data.revenueSaved} currency={data.currency} /> : null}
            {TABS[selected].id === "triggers" ? <TriggerSection triggers={data.triggers} timeZone={data.timeZone} /> : null}
            {onValidation ? <ValidationSection report={fetched?.section === "validation" ? fetched : undefined} /> : null}
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
