import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import { useToast } from "../shared/useToast";

export interface TestEventsData {
  ok: boolean;
  message?: string;
  error?: string;
  notConnected?: boolean;
  fieldErrors?: Record<string, string>;
  at?: number;
}

/**
 * Klaviyo only lists a metric once an event for it has arrived; flows cannot be built on
 * "Lifeline: Skip Streak" until then. One test event per metric creates them all now.
 */
export function TestEventsCard({ connected, accountName, onClose }: { connected: boolean; accountName: string | null; onClose: () => void }) {
  const fetcher = useFetcher<TestEventsData>();
  const [email, setEmail] = useState("");
  const done = fetcher.state === "idle" ? fetcher.data : undefined;
  useToast(done?.ok ? done.message : done?.error, { isError: done ? !done.ok : false, key: done?.at });
  const busy = fetcher.state !== "idle";

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Send test events to Klaviyo
          </Text>
          <Button variant="plain" onClick={onClose} accessibilityLabel="Close test events">
            Close
          </Button>
        </InlineStack>
        {!connected || done?.notConnected ? (
          <Banner tone="warning" title="Klaviyo is not connected">
            <p>
              Test events go to your Klaviyo account, so Lifeline needs your Klaviyo private API key first.{" "}
              <Link url="/app/settings">Connect Klaviyo in Settings</Link>, then come back to send them.
            </p>
          </Banner>
        ) : (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="test-events" />
            <BlockStack gap="300">
              <Text as="p">
                {`Sends one event for every Lifeline metric to ${accountName ?? "your Klaviyo account"}, on the profile below, so each metric exists in Klaviyo and you can build flows on it before the first real firing. Sending again changes nothing.`}
              </Text>
              <Box maxWidth="420px">
                <TextField
                  label="Email of the test profile"
                  name="email"
                  type="email"
                  value={email}
                  onChange={setEmail}
                  autoComplete="email"
                  helpText="Use your own address: the events land on this profile and could start flows that are already live."
                  error={done && !done.ok ? (done.fieldErrors?.email ?? done.error) : undefined}
                />
              </Box>
              <InlineStack>
                <Button submit variant="primary" loading={busy}>
                  Send test events
                </Button>
              </InlineStack>
            </BlockStack>
          </fetcher.Form>
        )}
      </BlockStack>
    </Card>
  );
}
