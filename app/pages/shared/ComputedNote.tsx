import { Text } from "@shopify/polaris";
import { formatCount, formatDateTime } from "./format";

/** When a stored result was computed and from how many subscribers: "Computed Nov 21, 2026, 3:05 AM from 2,000 subscribers." */
export function computedFrom(computedAt: string, sample: { subjects: number; of: number }, timeZone: string): string {
  const who = sample.subjects < sample.of ? `a fixed sample of ${formatCount(sample.subjects)} of your ${formatCount(sample.of)}` : formatCount(sample.subjects);
  return `Computed ${formatDateTime(computedAt, timeZone)} from ${who} subscribers.`;
}

export function ComputedNote(props: { computedAt: string; sample: { subjects: number; of: number }; timeZone: string }) {
  return (
    <Text as="p" tone="subdued" variant="bodySm">
      {computedFrom(props.computedAt, props.sample, props.timeZone)}
    </Text>
  );
}
