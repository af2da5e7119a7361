import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { issueHelpdeskSecret } from "../models/helpdesk-connection.server";
import { disconnectKlaviyo, saveKlaviyoKey, sendTestEvents } from "../models/klaviyo-connection.server";
import { saveScoreSettings } from "../pages/settings/score-settings.server";
import { digestSchema, saveDigest, settingsPage } from "../pages/settings/settings.server";
import { KLAVIYO_KEY_PREFIX, RESCORE_POLL_MS, type SettingsActionData } from "../pages/settings/settings-options";
import { KlaviyoCard } from "../pages/settings/KlaviyoCard";
import { ScoreCard } from "../pages/settings/ScoreCard";
import { SegmentsCard } from "../pages/settings/SegmentsCard";
import { DigestCard } from "../pages/settings/DigestCard";
import { PrivacyCard } from "../pages/settings/PrivacyCard";
import { HelpdeskCard } from "../pages/settings/HelpdeskCard";
import { SourcesCard } from "../pages/settings/SourcesCard";
import { FitCard } from "../pages/settings/FitCard";
import { fitCard, keepFit, revertFitAction } from "../pages/settings/fit.server";
import { sourceAction, sourcesSettings } from "../pages/settings/sources.server";
import { SOURCE_INTENTS, SOURCES_ANCHOR } from "../pages/settings/sources-options";
import { saveSettingsForms, sectionsOf } from "../pages/settings/save-forms.server";
import { PageSaveBar } from "../pages/shared/PageSaveBar";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("Settings");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [page, sources, fit] = await Promise.all([settingsPage(session.shop), sourcesSettings(session.shop), fitCard(session.shop)]);
  return { ...page, sources, fit };
};

// Zod messages never repeat the submitted value, so a refused key is not echoed back.
const apiKey = z
  .string({ required_error: "Paste your Klaviyo private API key." })
  .trim()
  .min(1, "Paste your Klaviyo private API key.")
  .refine((k) => k.startsWith(KLAVIYO_KEY_PREFIX), `That is not a private API key: private keys start with ${KLAVIYO_KEY_PREFIX}.`);
const intentSchema = z.enum(["save", "klaviyo-save", "klaviyo-disconnect", "klaviyo-test", "scoring", "segments", "digest", "helpdesk-secret", "fit-keep", "fit-revert", ...SOURCE_INTENTS], {
  errorMap: () => ({ message: "Choose which setting to save." }),
});

const TEST_EMAIL_ERROR = "Enter the email address the test events should go to.";

type Fields = Record<string, string>;
const at = () => Date.now();
const ok = (message: string) => data<SettingsActionData>({ ok: true, message, at: at() });
const refused = (error: string, status: number, fieldErrors?: Record<string, string>) =>
  data<SettingsActionData>({ ok: false, error, fieldErrors, at: at() }, { status });

function invalid(error: z.ZodError): ReturnType<typeof refused> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  return refused(Object.values(fieldErrors)[0], 400, fieldErrors);
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { intent: rawIntent, ...fields } = Object.fromEntries(await request.formData()) as Fields;
  const intent = intentSchema.safeParse(rawIntent);
  if (!intent.success) return refused("Choose which setting to save.", 400);
  const shop = session.shop;

  switch (intent.data) {
    case "save": {
      // The save bar: every changed form of the page at once.
      const { sections, ...values } = fields;
      const result = await saveSettingsForms(shop, sectionsOf(sections), values);
      return result.ok ? ok(result.message) : refused(result.error, result.status, result.fieldErrors);
    }
    case "klaviyo-save": {
      const key = apiKey.safeParse(fields.apiKey);
      if (!key.success) return refused(key.error.issues[0].message, 400, { apiKey: key.error.issues[0].message });
      const result = await saveKlaviyoKey(shop, key.data);
      if (!result.ok) return refused(result.error, 400, { apiKey: result.error });
      return ok(`Connected to Klaviyo${result.status.accountName ? ` as ${result.status.accountName}` : ""}.`);
    }
    case "klaviyo-disconnect":
      await disconnectKlaviyo(shop);
      return ok("Klaviyo disconnected. Plays wait until a key is saved again.");
    case "klaviyo-test": {
      const email = z.string().trim().email().safeParse(fields.email ?? "");
      if (!email.success) return refused(TEST_EMAIL_ERROR, 400, { email: TEST_EMAIL_ERROR });
      const result = await sendTestEvents(shop, email.data);
      if (!result.ok) return refused(result.error, 400);
      const failed = result.sent.filter((s) => !s.ok);
      if (failed.length > 0) return refused(`${failed.length} of ${result.sent.length} test events failed: ${failed.map((f) => `${f.metric} (${f.error})`).join("; ")}`, 502);
      return ok(`Sent ${result.sent.length} test events to ${email.data}.`);
    }
    case "scoring":
    case "segments": {
      const result = await saveScoreSettings(shop, fields);
      return result.ok ? ok(result.message) : refused(result.error, result.status, result.fieldErrors);
    }
    case "digest": {
      const parsed = digestSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const saved = await saveDigest(shop, parsed.data);
      return ok(saved.enabled ? "Weekly digest on." : "Weekly digest off.");
    }
    case "fit-keep":
    case "fit-revert": {
      const fitId = z.string().min(1).safeParse(fields.fitId);
      if (!fitId.success) return refused("Choose which fit.", 400);
      const result = intent.data === "fit-keep" ? await keepFit(shop, fitId.data) : await revertFitAction(shop, fitId.data);
      return result.ok ? ok(result.message) : refused(result.error, result.status);
    }
    case "helpdesk-secret": {
      const issued = await issueHelpdeskSecret(shop);
      return data<SettingsActionData>({
        ok: true,
        message: issued.rotated ? "New signing secret created. The old one no longer works." : "Signing secret created.",
        helpdesk: { secret: issued.secret, endpoint: issued.endpoint },
        at: at(),
      }, { headers: { "Cache-Control": "no-store" } }); // the only answer that carries the secret
    }
    case "source-connect":
    case "source-test":
    case "source-disconnect":
    case "subscription-app": {
      const result = await sourceAction(shop, intent.data, fields);
      return result.ok ? ok(result.message) : refused(result.error, result.status, result.fieldErrors);
    }
  }
};

export default function Settings() {
  const page = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const importing = page.sources.connectors.some((c) => c.status.connection?.connected && ["pending", "running"].includes(c.status.connection.backfillStatus));
  const running = page.score.rescore?.status === "running" || importing;

  // While a rescore or a subscription app's import runs, re-read its progress every couple of seconds.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, RESCORE_POLL_MS);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  return (
    <Page title="Settings" subtitle="Your subscription app, Klaviyo, your helpdesk, how health is scored, the weekly digest, and what Lifeline keeps.">
      <PageSaveBar id="settings-save-bar">
      <BlockStack gap="500">
        <Layout>
          <Layout.AnnotatedSection
            id={SOURCES_ANCHOR}
            title="Subscription app"
            description="Shopify sends subscription webhooks only to the app that owns the contracts, so Lifeline takes your subscription events from your subscription app: directly, or through Shopify Flow."
          >
            <SourcesCard sources={page.sources} timeZone={page.timeZone} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            id="klaviyo"
            title="Klaviyo"
            description="Lifeline sends its plays to Klaviyo as events on the subscriber's profile. Your private key is stored encrypted and never shown again."
          >
            <KlaviyoCard status={page.klaviyo} timeZone={page.timeZone} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            id="score"
            title="Health score"
            description="Where each band starts, and how many points each signal is worth. Each group of subscribers can have its own. Saving rescores everyone."
          >
            <ScoreCard score={page.score} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            id="fit"
            title="Fitted to your store"
            description="Once a month the weights are fitted to your own cancels, and used only if they would have caught them better on recent weeks they were not fitted on."
          >
            <FitCard data={page.fit} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            id="segments"
            title="Segments"
            description="Who counts as a new subscriber, and who as high value. Groups above can be scored differently."
          >
            <SegmentsCard segments={page.score.config.segments} defaults={page.score.defaults.segments} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            id="helpdesk"
            title="Helpdesk"
            description="Your helpdesk posts each new ticket to Lifeline. A ticket counts against the subscriber's health, and one in the first billing cycle starts the service-recovery play."
          >
            <HelpdeskCard status={page.helpdesk} timeZone={page.timeZone} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection id="digest" title="Weekly digest" description="An email with the week's at-risk list and open tasks.">
            <DigestCard digest={page.digest} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection id="privacy" title="Data and privacy" description="What Lifeline keeps about your subscribers, for how long, and how it is erased.">
            <PrivacyCard />
          </Layout.AnnotatedSection>
        </Layout>
      </BlockStack>
      </PageSaveBar>
    </Page>
  );
}
