import { InlineStack, Text } from "@shopify/polaris";
import { BAND_COLORS, BAND_LABELS, BAND_ORDER } from "./BandBadge";

/** The bands' colours, as the charts draw them: squares for bars, dots for points. */
export function BandLegend({ marker }: { marker: "square" | "dot" }) {
  return (
    <InlineStack gap="300">
      {BAND_ORDER.map((b) => (
        <InlineStack key={b} gap="100" blockAlign="center">
          <span
            aria-hidden
            style={{ width: 10, height: 10, borderRadius: marker === "dot" ? 5 : 2, background: BAND_COLORS[b], display: "inline-block" }}
          />
          <Text as="span" variant="bodySm">
            {BAND_LABELS[b]}
          </Text>
        </InlineStack>
      ))}
    </InlineStack>
  );
}
