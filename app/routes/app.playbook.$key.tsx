import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigate, useNavigation, useSubmit, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, List, Modal, Page, Text } from "@shopify/polaris";
import { SaveBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import {
  deleteTrigger,
  previewTrigger,
  saveTrigger,
  triggerForEdit,
  type DryRunPreview as Preview,
  type FieldErrors,
} from "../pages/playbook/playbook-editor.server";
import { editorValuesFrom, firingFieldsKey, saveBlockedReason, withField, type EditorField, type EditorValues } from "../playbook/editor-form";
import { TriggerForm } from "../pages/playbook/TriggerForm";
import { DryRunPreview } from "../pages/playbook/DryRunPreview";
import { useToast } from "../pages/shared/useToast";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle((data?: { isNew?: boolean; values?: { name?: string } }) => (data?.isNew ? "New trigger" : (data?.values?.name ?? "Trigger")));
export const meta = pageMeta;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const trigger = await triggerForEdit(session.shop, params.key ?? "");
  if (!trigger) throw new Response("Not found", { status: 404 });
  return trigger;
};

export type EditorActionData = {
  intent: "dry-run" | "save" | "delete" | null;
  ok: boolean;
  at: number;
  message?: string;
  error?: string;
  fieldErrors?: FieldErrors;
  needsDryRun?: boolean;
  preview?: Preview;
  /** What was posted, as typed: the form never loses it, and the preview knows what it previewed. */
  values?: EditorValues;
  key?: string;
};

const intentSchema = z.object({
  intent: z.enum(["dry-run", "save", "delete"], { errorMap: () => ({ message: "Choose what to do: preview, save or delete." }) }),
  dryRunToken: z.string().optional(),
});

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const key = params.key ?? "";
  const at = Date.now();
  const parsed = intentSchema.safeParse(form);
  if (!parsed.success) return data<EditorActionData>({ intent: null, ok: false, error: parsed.error.issues[0].message, at }, { status: 400 });
  const { intent } = parsed.data;
  const values = editorValuesFrom(form);

  if (intent === "dry-run") {
    const result = await previewTrigger(session.shop, key, values, new Date());
    if (!result.ok) return data<EditorActionData>({ intent, at, values, ...result }, { status: result.status });
    return data<EditorActionData>({ intent, ok: true, at, values, preview: result.preview });
  }
  const result =
    intent === "save"
      ? await saveTrigger(session.shop, key, values, parsed.data.dryRunToken ?? null)
      : await deleteTrigger(session.shop, key, new Date());
  if (!result.ok) return data<EditorActionData>({ intent, at, values, ...result }, { status: result.status });
  return data<EditorActionData>({ intent, at, ...result });
};

/**
 * A saved or deleted trigger leaves the editor for the list: reloading the editor first is
 * wasted, and a deleted trigger's editor would answer 404.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => {
  const result = actionResult as EditorActionData | undefined;
  if (result?.ok && (result.intent === "save" || result.intent === "delete")) return false;
  return defaultShouldRevalidate;
};

export default function TriggerEditorPage() {
  const trigger = useLoaderData<typeof loader>();
  // A different trigger is a fresh form, not this one's leftovers.
  return <TriggerEditor key={trigger.key} />;
}

function TriggerEditor() {
  const trigger = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submit = useSubmit();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [values, setValues] = useState<EditorValues>(trigger.values);
  const [preview, setPreview] = useState<{ preview: Preview; fieldsKey: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;

  // Failures are shown in the banner and on the fields; a toast confirms what went through.
  useToast(actionData?.ok ? actionData.message : null, { key: actionData?.at });
  useEffect(() => {
    if (!actionData) return;
    if (actionData.intent === "dry-run" && actionData.ok && actionData.preview && actionData.values) {
      setPreview({ preview: actionData.preview, fieldsKey: firingFieldsKey(actionData.values) });
    }
  }, [actionData]);
  // Leave once the submission has fully settled: navigating mid-revalidation cancels its requests.
  const saved = actionData?.ok === true && (actionData.intent === "save" || actionData.intent === "delete");
  useEffect(() => {
    if (saved && navigation.state === "idle") navigate("/app/playbook");
  }, [saved, navigation.state, navigate]);

  const fieldsKey = firingFieldsKey(values);
  const needsPreview = trigger.isNew || trigger.storedErrors !== null || fieldsKey !== firingFieldsKey(trigger.values);
  const fresh = preview !== null && preview.fieldsKey === fieldsKey;
  const blocked = saveBlockedReason({ isNew: trigger.isNew, needsPreview, previewed: preview !== null, fresh });
  const errors: FieldErrors = actionData && !actionData.ok ? (actionData.fieldErrors ?? {}) : {};
  const post = (intent: string) => submit({ ...values, intent, dryRunToken: fresh ? preview.preview.token : "" }, { method: "post" });
  const onChange = (field: EditorField, value: string) => setValues((v) => withField(v, field, value));
  const changed = !saved && (Object.keys(values) as EditorField[]).some((k) => values[k] !== trigger.values[k]);

  return (
    <Page
      title={trigger.isNew ? "New trigger" : trigger.values.name}
      titleMetadata={trigger.isDefault ? <Text as="span" tone="subdued">Default trigger</Text> : undefined}
      backAction={{ content: "Playbook", url: "/app/playbook" }}
      primaryAction={{
        content: trigger.isNew ? "Create trigger" : "Save",
        onAction: () => post("save"),
        loading: busy === "save",
        disabled: blocked !== null || busy != null,
        helpText: blocked ?? undefined,
      }}
      secondaryActions={trigger.isNew || trigger.isDefault ? [] : [{ content: "Delete", destructive: true, onAction: () => setConfirmDelete(true) }]}
    >
      <SaveBar id="trigger-save-bar" open={changed}>
        <button variant="primary" onClick={() => post("save")} loading={busy === "save" ? "" : undefined} disabled={(needsPreview && !fresh) || busy != null}>
          {trigger.isNew ? "Create trigger" : "Save"}
        </button>
        <button onClick={() => setValues(trigger.values)} disabled={busy != null}>
          Discard
        </button>
      </SaveBar>
      <Layout>
        {actionData && !actionData.ok && actionData.error ? (
          <Layout.Section>
            <Banner tone={actionData.needsDryRun ? "warning" : "critical"} title={bannerTitle(actionData)}>
              <p>{actionData.error}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {trigger.storedErrors ? (
          <Layout.Section>
            <Banner tone="critical" title="This trigger's stored definition is invalid, so it does not run">
              <List type="bullet">
                {trigger.storedErrors.map((e) => (
                  <List.Item key={e}>{e}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <TriggerForm values={values} errors={errors} onChange={onChange} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Preview (dry run)
              </Text>
              <Text as="p" tone="subdued">
                Replays the last 90 days of your subscribers through this condition, segment and cooldown: how often it would have fired, and for whom. A new trigger, or a change to who it fires for, is saved only after its preview.
              </Text>
              <InlineStack>
                <Button onClick={() => post("dry-run")} loading={busy === "dry-run"} disabled={busy != null}>
                  {preview ? "Run the preview again" : "Preview (dry run)"}
                </Button>
              </InlineStack>
              {blocked ? (
                <Text as="p" tone="caution">
                  {blocked}
                </Text>
              ) : null}
              {preview ? <DryRunPreview preview={preview.preview} stale={!fresh} /> : null}
              {!needsPreview && !preview ? (
                <Text as="p" tone="subdued">
                  Who it fires for has not changed, so this can be saved without a preview.
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={`Delete "${trigger.values.name}"?`}
        primaryAction={{ content: "Delete trigger", destructive: true, loading: busy === "delete", onAction: () => post("delete") }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">It stops firing at once. Its past firings stay in the reports.</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

function bannerTitle(result: EditorActionData): string {
  if (result.needsDryRun) return "Preview first";
  if (result.intent === "dry-run") return "The preview did not run";
  if (result.intent === "delete") return "Not deleted";
  return "Not saved";
}
