import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, DataTable, Text } from "@shopify/polaris";
import { formatDateTime } from "../shared/format";
import { useToast } from "../shared/useToast";

export interface FailedDelivery {
  jobId: number;
  queue: string;
  topic: string | null;
  attempts: number;
  error: string | null;
  receivedAt: string | null;
}

export interface ReplayResult {
  ok: boolean;
  message: string;
  at: number;
}

/** Webhook deliveries that kept failing, with why, each ready to replay. */
export function FailedDeliveries({ deliveries, timeZone }: { deliveries: FailedDelivery[]; timeZone: string }) {
  const replay = useFetcher<ReplayResult>();
  const result = replay.state === "idle" ? replay.data : undefined;
  useToast(result?.message, { isError: result ? !result.ok : false, key: result?.at });
  const replaying = replay.state !== "idle" ? Number(replay.formData?.get("jobId")) : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Deliveries that failed
        </Text>
        {deliveries.length === 0 ? (
          <Text as="p" tone="subdued">
            Every webhook was processed. When a delivery keeps failing, it appears here with the reason, ready to replay.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text"]}
            headings={["Topic", "Received", "Attempts", "Reason", ""]}
            rows={deliveries.map((d) => [
              d.topic ?? d.queue,
              formatDateTime(d.receivedAt, timeZone),
              d.attempts,
              <div key="reason" style={{ maxWidth: 360, whiteSpace: "normal" }}>
                {d.error ?? ""}
              </div>,
              <replay.Form method="post" key={d.jobId}>
                <input type="hidden" name="jobId" value={d.jobId} />
                <Button submit size="slim" loading={replaying === d.jobId} accessibilityLabel={`Replay ${d.topic ?? d.queue} delivery`}>
                  Replay
                </Button>
              </replay.Form>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
