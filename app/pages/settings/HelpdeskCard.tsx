import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import type { SettingsActionData } from "./settings-options";
import { HELPDESK_EXAMPLE_BODY, HELPDESK_SIGNATURE_HEADER, HELPDESK_SIGNATURE_PREFIX } from "../../intake/helpdesk-protocol";
import { formatDateTime } from "../shared/format";
import { useToast } from "../shared/useToast";

interface Props {
  status: { connected: boolean; connectedAt: string | Date | null; rotatedAt: string | Date | null; endpoint: string };
  timeZone: string;
}

const codeStyle = { margin: 0, whiteSpace: "pre-wrap", wordBreak: "break-all", fontFamily: "monospace", fontSize: "12px" } as const;

/**
 * Creates or rotates the secret the helpdesk signs tickets with. The secret is shown
 * once, in the answer that created it; the page never reads it back.
 */
export function HelpdeskCard({ status, timeZone }: Props) {
  const issue = useFetcher<SettingsActionData>();
  const issued = issue.state === "idle" ? issue.data : undefined;
  useToast(issued?.ok ? issued.message : issued?.error, { isError: issued ? !issued.ok : false, key: issued?.at });
  const fresh = issued?.ok ? issued.helpdesk : undefined;
  const endpoint = fresh?.endpoint ?? status.endpoint;

  return (
    <section aria-label="Helpdesk ticket intake">
      <Card>
        <BlockStack gap="400">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Ticket intake
            </Text>
            {status.connected ? <Badge tone="success">Connected</Badge> : <Badge tone="attention">Not connected</Badge>}
          </InlineStack>
          <Text as="p" tone="subdued">
            {status.connected
              ? `Connected since ${formatDateTime(status.connectedAt, timeZone)}${status.rotatedAt ? `, secret last rotated ${formatDateTime(status.rotatedAt, timeZone)}` : ""}.`
              : "Create a signing secret, then set your helpdesk to post each new ticket to the address below, signed with it."}{" "}
            Tickets are matched to subscribers by Shopify customer id, else by email. The ticket's subject is not kept.
          </Text>
          {fresh ? (
            <Banner tone="warning" title="Copy the secret now: it is not shown again">
              <BlockStack gap="200">
                <TextField label="Signing secret" value={fresh.secret} readOnly autoComplete="off" monospaced selectTextOnFocus />
              </BlockStack>
            </Banner>
          ) : null}
          <TextField label="Endpoint" value={endpoint} readOnly autoComplete="off" monospaced selectTextOnFocus />
          <BlockStack gap="100">
            <Text as="p">
              Send a POST with a JSON body and the header <code>{`${HELPDESK_SIGNATURE_HEADER}: ${HELPDESK_SIGNATURE_PREFIX}<hex>`}</code>, where
              the hex is the HMAC-SHA256 of the raw body under the secret. For example:
            </Text>
            <Box background="bg-surface-secondary" padding="300" borderRadius="200">
              <pre style={codeStyle}>{HELPDESK_EXAMPLE_BODY}</pre>
            </Box>
          </BlockStack>
          <InlineStack>
            <Button
              variant={status.connected ? "secondary" : "primary"}
              loading={issue.state !== "idle"}
              onClick={() => issue.submit({ intent: "helpdesk-secret" }, { method: "post" })}
            >
              {status.connected ? "Rotate secret" : "Create signing secret"}
            </Button>
          </InlineStack>
          {status.connected ? (
            <Text as="p" tone="subdued">
              Rotating replaces the secret at once: tickets signed with the old one are refused until the helpdesk has the new one.
            </Text>
          ) : null}
        </BlockStack>
      </Card>
    </section>
  );
}
