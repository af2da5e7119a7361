import { BlockStack, Box, Text } from "@shopify/polaris";

/** A headline number with what it means underneath. */
export function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200" minWidth="180px">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {detail ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        ) : null}
      </BlockStack>
    </Box>
  );
}
