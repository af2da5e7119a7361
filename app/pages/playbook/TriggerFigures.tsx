import { BlockStack, Text } from "@shopify/polaris";
import type { Lift, Proportion } from "../../playbook/measure";
import type { OutcomeKind } from "../../playbook/outcome";
import { liftInWords } from "../../playbook/describe";
import { formatCount, formatDate, formatPercent } from "../shared/format";

/** "40%" over "4 of 10 <what>", or the reason there is nothing to divide. */
export function RateCell({ value, empty, of = "" }: { value: Proportion; empty: string; of?: string }) {
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
        {`${formatCount(value.successes)} of ${formatCount(value.n)}${of ? ` ${of}` : ""}`}
      </Text>
    </BlockStack>
  );
}

/** Before any outcome window has closed there is no outcome to show: when the first one comes instead. */
export function OutcomePending({ nextOutcomeAt, timeZone }: { nextOutcomeAt: string | null; timeZone: string }) {
  return (
    <Text as="span" tone="subdued">
      {nextOutcomeAt ? `First outcome on ${formatDate(nextOutcomeAt, timeZone)}` : "No firings yet"}
    </Text>
  );
}

interface LiftProps {
  lift: Lift;
  kind: OutcomeKind;
  holdoutPercent: number;
  holdoutFirings: number;
  firings: number;
  decidedOutcomes: number;
}

/**
 * How many were held out (the same count as the reports), and once outcomes exist, the
 * difference the play made against them, in words.
 */
export function LiftCell({ lift, kind, holdoutPercent, holdoutFirings, firings, decidedOutcomes }: LiftProps) {
  if (holdoutPercent === 0 && holdoutFirings === 0) {
    return (
      <Text as="span" tone="subdued">
        No holdout
      </Text>
    );
  }
  const words = decidedOutcomes > 0 ? liftInWords(lift, kind) : null;
  const tone = words?.verdict === "better" ? "success" : words?.verdict === "worse" ? "critical" : undefined;
  return (
    <div style={{ minWidth: 140, maxWidth: 200, whiteSpace: "normal" }}>
      <BlockStack gap="050">
        <Text as="span">{firings === 0 ? "None held out yet" : `${formatCount(holdoutFirings)} of ${formatCount(firings)} held out`}</Text>
        <Text as="span" variant="bodySm" tone="subdued">
          {`${holdoutPercent}% of firings get no play, to compare against`}
        </Text>
        {words ? (
          <>
            <Text as="span" fontWeight="semibold" tone={tone}>
              {words.headline}
            </Text>
            <Text as="span" variant="bodySm" tone="subdued">
              {words.detail}
            </Text>
          </>
        ) : null}
      </BlockStack>
    </div>
  );
}
