import { BlockStack, Box, ProgressBar, Text } from "@shopify/polaris";
import { formatCount, formatDateTime } from "../shared/format";

export interface RescoreStatusData {
  status: string;
  total: number;
  done: number;
  /** Once finished. */
  finishedAt: Date | string | null;
  /** Current subscribers scored since the run began. */
  scored: number;
  timeZone: string;
}

/** The last rescore: progress while it runs; when it finished and how many current subscribers it scored. */
export function RescoreStatus({ rescore }: { rescore: RescoreStatusData }) {
  const running = rescore.status === "running";
  const progress = rescore.total > 0 ? Math.round((rescore.done / rescore.total) * 100) : 100;
  const scored = `${formatCount(rescore.scored)} current subscriber${rescore.scored === 1 ? "" : "s"} scored`;
  return (
    <Box>
      <BlockStack gap="100">
        <Text as="p">
          {running
            ? `Rescoring: ${formatCount(rescore.done)} of ${formatCount(rescore.total)} subscribers`
            : rescore.finishedAt
              ? `Last rescore finished ${formatDateTime(rescore.finishedAt, rescore.timeZone)}: ${scored}.`
              : `Last rescore: ${scored}.`}
        </Text>
        {running ? <ProgressBar progress={progress} size="small" tone="primary" /> : null}
      </BlockStack>
    </Box>
  );
}
