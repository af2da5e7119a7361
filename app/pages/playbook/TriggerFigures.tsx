import { BlockStack, Text, Tooltip } from "@shopify/polaris";
import type { Lift, Proportion } from "../../playbook/measure";
import { formatCount, formatPercent, formatPoints } from "../shared/format";

/** "40% (4 of 10)", or a dash with the reason when there is nothing to divide. */
export function RateCell({ value, empty }: { value: Proportion; empty: string }) {
  if (value.rate === null) {
    return (
      <Text as="span" tone="subdued">
        {empty}
      </Text>
    );
  }
  return (
    <BlockStack gap="050">
      <Text as="span" numeric>
        {formatPercent(value.rate)}
      </Text>
      <Text as="span" tone="subdued" variant="bodySm" numeric>
        {`${formatCount(value.successes)} of ${formatCount(value.n)}`}
      </Text>
    </BlockStack>
  );
}

/**
 * Retention lift over the holdout, with its 95% interval. Below the minimum sample the
 * interval would be wide enough to mislead, so it says so instead of showing a number.
 */
export function LiftCell({ lift, holdoutPercent }: { lift: Lift; holdoutPercent: number }) {
  if (holdoutPercent === 0 && lift.holdoutN === 0) {
    return (
      <Text as="span" tone="subdued">
        No holdout
      </Text>
    );
  }
  return (
    <div style={{ minWidth: 150, maxWidth: 200, whiteSpace: "normal" }}>
      <BlockStack gap="050">
        <Text as="span" variant="bodySm" tone="subdued">
          {`${holdoutPercent}% held out`}
        </Text>
        <LiftFigure lift={lift} />
      </BlockStack>
    </div>
  );
}

function LiftFigure({ lift }: { lift: Lift }) {
  if (lift.kind === "estimate") {
    const sure = lift.lower > 0 ? "better than holding out" : lift.upper < 0 ? "worse than holding out" : "not distinguishable from holding out yet";
    return (
      <Tooltip content={`Retained ${formatPercent(lift.treatedRetention)} with the play vs ${formatPercent(lift.holdoutRetention)} held out (${formatCount(lift.treatedN)} and ${formatCount(lift.holdoutN)} outcomes): ${sure}.`}>
        <BlockStack gap="050">
          <Text as="span" numeric fontWeight="semibold" tone={lift.lower > 0 ? "success" : lift.upper < 0 ? "critical" : undefined}>
            {formatPoints(lift.difference)}
          </Text>
          <Text as="span" tone="subdued" variant="bodySm" numeric>
            {`95%: ${formatPoints(lift.lower)} to ${formatPoints(lift.upper)}`}
          </Text>
        </BlockStack>
      </Tooltip>
    );
  }
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued">
        Sample too small
      </Text>
      <Text as="span" tone="subdued" variant="bodySm" numeric>
        {`${formatCount(lift.treatedN)} treated, ${formatCount(lift.holdoutN)} held out; ${formatCount(lift.minPerGroup)} each needed`}
      </Text>
    </BlockStack>
  );
}
