// Home: how healthy the subscriber base is and where it is heading, what is at stake
// and waiting, what changed this week, set-up steps for a new install, and failed deliveries.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { homePage } from "../pages/home/home.server";
import { replayDeadLetter } from "../models/inbox.server";
import { retryBackfill } from "../intake/backfill.server";
import { KeyFigures } from "../pages/home/KeyFigures";
import { ThisWeekCard } from "../pages/home/ThisWeekCard";
import { HealthCard } from "../pages/home/HealthCard";
import { WeekChanges } from "../pages/home/WeekChanges";
import { RETRY_BACKFILL_INTENT, SetupChecklist } from "../pages/home/SetupChecklist";
import { FailedDeliveries, type ReplayResult } from "../pages/home/FailedDeliveries";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("Home");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return homePage(session.shop);
};

const replaySchema = z.object({ jobId: z.coerce.number().int().positive() });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const at = Date.now();
  if (form.intent === RETRY_BACKFILL_INTENT) {
    if (!(await retryBackfill(session.shop, new Date(at)))) {
      return data<ReplayResult>({ ok: false, message: "The import is not in a failed state any more.", at }, { status: 409 });
    }
    return data<ReplayResult>({ ok: true, message: "Import queued again.", at });
  }
  const parsed = replaySchema.safeParse(form);
  if (!parsed.success) return data<ReplayResult>({ ok: false, message: "Choose a failed delivery to replay.", at }, { status: 400 });
  const ok = await replayDeadLetter(session.shop, parsed.data.jobId);
  if (!ok) return data<ReplayResult>({ ok: false, message: "That delivery is not in the failed list any more.", at }, { status: 404 });
  return data<ReplayResult>({ ok: true, message: "Queued again.", at });
};

export default function Home() {
  const home = useLoaderData<typeof loader>();
  return (
    <Page title="Lifeline" subtitle="Your subscribers' health this week, and what needs you." primaryAction={{ content: "Review at-risk subscribers", url: "/app/at-risk" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ThisWeekCard toReview={home.thisWeek.toReview} top={home.thisWeek.top} />
            <SetupChecklist {...home.checklist} scoring={home.scoring} onboarding={home.onboarding} />
            <KeyFigures currency={home.currency} revenueAtRisk={home.revenueAtRisk} tasks={home.tasks} plays={home.plays} />
            <HealthCard bands={home.bands} cancelled={home.cancelled} unscored={home.unscored} trend={home.trend} />
            <WeekChanges weekKey={home.weekKey} thisWeek={home.changes.thisWeek} lastWeek={home.changes.lastWeek} />
            <FailedDeliveries deliveries={home.failedDeliveries} timeZone={home.timeZone} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
