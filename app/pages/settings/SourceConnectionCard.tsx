import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineStack, Modal, Text, TextField } from "@shopify/polaris";
import type { SettingsActionData } from "./settings-options";
import { credentialInput, type SourceCardView } from "./sources-options";
import { SourceStatusLine } from "./SourceStatusLine";
import { formatDateTime } from "../shared/format";
import { useToast } from "../shared/useToast";

interface Props {
  card: SourceCardView;
  timeZone: string;
}

const MASK = "••••••••••••";

function whatConnectingDoes(card: SourceCardView): string {
  const steps = [
    card.registersWebhooks ? `registers Lifeline's webhooks at ${card.name}` : null,
    card.imports ? "imports your existing subscriptions and their past billing, within its rate limit" : null,
  ].filter(Boolean);
  return `Lifeline checks these details with ${card.name} before it stores them, encrypted${steps.length ? `, then ${steps.join(" and ")}` : ""}. They are never shown again.`;
}

/**
 * Connect a subscription app with its credentials (checked with the vendor before they are
 * stored), test the connection, disconnect. Connected, the card shows only that the
 * credentials are saved, never what they are.
 */
export function SourceConnectionCard({ card, timeZone }: Props) {
  const connect = useFetcher<SettingsActionData>();
  const test = useFetcher<SettingsActionData>();
  const disconnect = useFetcher<SettingsActionData>();
  const [values, setValues] = useState<Record<string, string>>({});
  const [replacing, setReplacing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const connected = card.status.connection?.connected === true;
  const saved = connect.state === "idle" ? connect.data : undefined;
  const tested = test.state === "idle" ? test.data : undefined;
  const dropped = disconnect.state === "idle" ? disconnect.data : undefined;
  useToast(saved?.ok ? saved.message : saved?.error, { isError: saved ? !saved.ok : false, key: saved?.at });
  useToast(tested?.ok ? tested.message : tested?.error, { isError: tested ? !tested.ok : false, key: tested?.at });
  useToast(dropped?.ok ? dropped.message : dropped?.error, { isError: dropped ? !dropped.ok : false, key: dropped?.at });

  // The fields empty once the credentials are stored: they are not kept in the page.
  useEffect(() => {
    if (saved?.ok) {
      setValues({});
      setReplacing(false);
    }
  }, [saved]);
  useEffect(() => {
    if (dropped) setConfirming(false);
  }, [dropped]);

  const showForm = !connected || replacing;
  const filled = card.fields.every((f) => (values[f.key] ?? "").trim() !== "");
  const refused = saved && !saved.ok ? saved : undefined;

  return (
    <section aria-label={`${card.name} connection`}>
      <Card>
        <BlockStack gap="400">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {card.name}
            </Text>
            {connected ? <Badge tone="success">Connected</Badge> : <Badge tone="attention">Not connected</Badge>}
          </InlineStack>
          <Text as="p" tone="subdued">
            {connected
              ? `Connected ${formatDateTime(card.status.connection?.connectedAt, timeZone)}. Lifeline receives ${card.name}'s subscription and billing events as they happen.`
              : whatConnectingDoes(card)}
          </Text>
          {connected && !replacing ? (
            <BlockStack gap="100">
              {card.fields.map((f) => (
                <InlineStack key={f.key} gap="200" blockAlign="center">
                  <Text as="span" fontWeight="medium">
                    {f.label}
                  </Text>
                  <Text as="span" tone="subdued">
                    {MASK} saved, encrypted
                  </Text>
                </InlineStack>
              ))}
            </BlockStack>
          ) : null}
          {showForm ? (
            <connect.Form method="post">
              <input type="hidden" name="intent" value="source-connect" />
              <input type="hidden" name="source" value={card.id} />
              <FormLayout>
                {refused && Object.keys(refused.fieldErrors ?? {}).length === 0 ? (
                  <Banner tone="critical" title={`Not connected to ${card.name}`}>
                    <p>{refused.error}</p>
                  </Banner>
                ) : null}
                {card.fields.map((f) => (
                  <TextField
                    key={f.key}
                    label={f.label}
                    name={credentialInput(f.key)}
                    type="password"
                    value={values[f.key] ?? ""}
                    onChange={(v) => setValues((old) => ({ ...old, [f.key]: v }))}
                    autoComplete="off"
                    helpText={f.helpText}
                    error={refused?.fieldErrors?.[credentialInput(f.key)]}
                  />
                ))}
                <InlineStack gap="200">
                  <Button submit variant="primary" loading={connect.state !== "idle"} disabled={!filled}>
                    {connected ? "Save and reconnect" : `Connect ${card.name}`}
                  </Button>
                  {replacing ? <Button onClick={() => setReplacing(false)}>Cancel</Button> : null}
                </InlineStack>
              </FormLayout>
            </connect.Form>
          ) : null}
          {card.manualSetup ? (
            <BlockStack gap="200">
              <Divider />
              <Text as="h3" variant="headingSm">
                Webhooks, set up in {card.name}
              </Text>
              <Text as="p">{card.manualSetup.text}</Text>
              {/* Multiline, so the whole address shows on a phone too. */}
              <TextField label="Webhook address" value={card.manualSetup.webhookAddress} readOnly autoComplete="off" monospaced selectTextOnFocus multiline />
              {connected ? null : (
                <Text as="p" tone="subdued">
                  Lifeline accepts these webhooks once {card.name} is connected above.
                </Text>
              )}
            </BlockStack>
          ) : null}
          {connected ? (
            <>
              <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                <SourceStatusLine status={card.status} vendor={card.name} imports={card.imports} timeZone={timeZone} />
              </Box>
              <InlineStack gap="200">
                <Button loading={test.state !== "idle"} onClick={() => test.submit({ intent: "source-test", source: card.id }, { method: "post" })}>
                  Test connection
                </Button>
                {!replacing ? <Button onClick={() => setReplacing(true)}>Replace credentials</Button> : null}
                <Button tone="critical" variant="secondary" onClick={() => setConfirming(true)}>
                  Disconnect
                </Button>
              </InlineStack>
              {tested ? (
                <Text as="p" tone={tested.ok ? "success" : "critical"}>
                  {tested.ok ? tested.message : tested.error}
                </Text>
              ) : null}
            </>
          ) : null}
        </BlockStack>
      </Card>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Disconnect ${card.name}?`}
        primaryAction={{
          content: "Disconnect",
          destructive: true,
          loading: disconnect.state !== "idle",
          onAction: () => disconnect.submit({ intent: "source-disconnect", source: card.id }, { method: "post" }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            Lifeline stops receiving {card.name}&apos;s events{card.registersWebhooks ? ` and removes its webhooks at ${card.name}` : ""}, and forgets the credentials. The
            history already imported stays.
          </Text>
        </Modal.Section>
      </Modal>
    </section>
  );
}
