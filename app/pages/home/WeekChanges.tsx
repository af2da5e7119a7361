import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { formatCount, signed, weekLabel } from "../shared/format";

export interface Changes {
  worsened: number;
  improved: number;
  enteredAtRisk: number;
  cancelled: number;
}

const ROWS: [keyof Changes, string][] = [
  ["enteredAtRisk", "Became at risk or critical"],
  ["worsened", "Health got worse"],
  ["improved", "Health improved"],
  ["cancelled", "Cancelled"],
];

/** This week against last week, in subscribers. */
export function WeekChanges({ weekKey, thisWeek, lastWeek }: { weekKey: string; thisWeek: Changes; lastWeek: Changes }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          What changed since last week
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={["Subscribers who", `This week (from ${weekLabel(weekKey)})`, "Last week", "Difference"]}
          rows={ROWS.map(([key, label]) => [label, formatCount(thisWeek[key]), formatCount(lastWeek[key]), signed(thisWeek[key] - lastWeek[key])])}
        />
      </BlockStack>
    </Card>
  );
}
