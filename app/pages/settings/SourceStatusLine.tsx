import { BlockStack, Text } from "@shopify/polaris";
import { statusParts } from "./source-status";
import type { SourceStatusView } from "./sources-options";

interface Props {
  status: SourceStatusView;
  vendor: string;
  imports: boolean;
  timeZone: string;
}

/** The source's status line: last event, failed and waiting deliveries, the import, webhooks, the last error. */
export function SourceStatusLine({ status, vendor, imports, timeZone }: Props) {
  const parts = statusParts(status, vendor, timeZone, { imports });
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        Status
      </Text>
      {parts.map((p) => (
        <Text key={p.text} as="p" variant="bodySm" tone={p.tone}>
          {p.text}
        </Text>
      ))}
    </BlockStack>
  );
}
