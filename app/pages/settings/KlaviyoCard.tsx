import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import type { SettingsActionData } from "./settings-options";
import { formatDateTime } from "../shared/format";
import { useToast } from "../shared/useToast";

interface Props {
  status: { connected: boolean; accountName: string | null; validatedAt: string | Date | null };
  timeZone: string;
}

/** Connect with a private key (checked with Klaviyo before it is stored), disconnect, send test events. */
export function KlaviyoCard({ status, timeZone }: Props) {
  const save = useFetcher<SettingsActionData>();
  const test = useFetcher<SettingsActionData>();
  const disconnect = useFetcher<SettingsActionData>();
  const [apiKey, setApiKey] = useState("");
  const [email, setEmail] = useState("");
  const saved = save.state === "idle" ? save.data : undefined;
  const tested = test.state === "idle" ? test.data : undefined;
  const dropped = disconnect.state === "idle" ? disconnect.data : undefined;
  useToast(saved?.ok ? saved.message : saved?.error, { isError: saved ? !saved.ok : false, key: saved?.at });
  useToast(tested?.ok ? tested.message : tested?.error, { isError: tested ? !tested.ok : false, key: tested?.at });
  useToast(dropped?.ok ? dropped.message : dropped?.error, { isError: dropped ? !dropped.ok : false, key: dropped?.at });

  // The key field empties once the key is stored: it is not kept in the page.
  useEffect(() => {
    if (saved?.ok) setApiKey("");
  }, [saved]);

  return (
    <section aria-label="Klaviyo connection">
      <Card>
        <BlockStack gap="400">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Connection
            </Text>
            {status.connected ? <Badge tone="success">Connected</Badge> : <Badge tone="attention">Not connected</Badge>}
          </InlineStack>
          {status.connected ? (
            <Text as="p">
              Connected{status.accountName ? ` as ${status.accountName}` : ""}
              {status.validatedAt ? `, key checked ${formatDateTime(status.validatedAt, timeZone)}` : ""}. Saving a new key replaces it.
            </Text>
          ) : (
            <Text as="p" tone="subdued">
              Create a private API key in Klaviyo (Settings, API keys) with write access to events and profiles, and read access to accounts.
            </Text>
          )}
          <save.Form method="post">
            <input type="hidden" name="intent" value="klaviyo-save" />
            <FormLayout>
              <TextField
                label="Private API key"
                name="apiKey"
                type="password"
                value={apiKey}
                onChange={setApiKey}
                autoComplete="off"
                placeholder="pk_…"
                helpText="Checked with Klaviyo before it is saved, then stored encrypted. It is never shown again."
                error={saved && !saved.ok ? (saved.fieldErrors?.apiKey ?? saved.error) : undefined}
              />
              <InlineStack gap="200">
                <Button submit variant="primary" loading={save.state !== "idle"} disabled={apiKey.trim() === ""}>
                  {status.connected ? "Replace key" : "Connect"}
                </Button>
                {status.connected ? (
                  <Button
                    tone="critical"
                    variant="secondary"
                    loading={disconnect.state !== "idle"}
                    onClick={() => disconnect.submit({ intent: "klaviyo-disconnect" }, { method: "post" })}
                  >
                    Disconnect
                  </Button>
                ) : null}
              </InlineStack>
            </FormLayout>
          </save.Form>
          {status.connected ? (
            <test.Form method="post">
              <input type="hidden" name="intent" value="klaviyo-test" />
              <FormLayout>
                <TextField
                  label="Send test events to"
                  name="email"
                  type="email"
                  value={email}
                  onChange={setEmail}
                  autoComplete="email"
                  helpText="One event per Lifeline metric, so the metrics exist in Klaviyo before you build flows on them. Sending again changes nothing."
                  error={tested && !tested.ok ? tested.fieldErrors?.email : undefined}
                />
                <Button submit loading={test.state !== "idle"}>
                  Send test events
                </Button>
              </FormLayout>
            </test.Form>
          ) : null}
        </BlockStack>
      </Card>
    </section>
  );
}
