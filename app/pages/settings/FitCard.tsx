import { useState } from "react";
import { BlockStack, Button, Card, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { Form } from "@remix-run/react";
import { usePageSection } from "../shared/PageSaveBar";
import type { FitCardData } from "./fit.server";

const pct = (x: number) => `${Math.round(x * 100)}%`;
const two = (x: number) => x.toFixed(2);

/** The store's own weight fit, keeping or reverting it, and the weekly contact capacity. */
export function FitCard({ data }: { data: FitCardData }) {
  const saved = data.weeklyContacts === null ? "" : String(data.weeklyContacts);
  const [contacts, setContacts] = useState(saved);
  // Saved with the page's save bar (Settings), with the other changed forms.
  const { errors } = usePageSection("capacity", { dirty: contacts !== saved, fields: { weeklyContacts: contacts } }, () => setContacts(saved));
  const fit = data.fit;

  return (
    <Card>
      <BlockStack gap="400">
        {fit === null ? (
          <Text as="p" tone="subdued">The score has not been fitted to your store yet. It is checked once a month.</Text>
        ) : fit.status === "refused" ? (
          <Text as="p">
            Not enough history yet: {fit.cancelsWithSignals} cancels with warning signs, needs {fit.needed}.
          </Text>
        ) : (
          <BlockStack gap="200">
            <Text as="p">{fit.reason}</Text>
            <Text as="p" tone="subdued">
              On the latest weeks: ranks cancels {two(fit.fitted.auc)} fitted against {two(fit.current.auc)} before (1 is perfect, 0.5 a coin flip); the riskiest 10% held{" "}
              {pct(fit.fitted.catchRateTop10)} of cancels, was {pct(fit.current.catchRateTop10)}; the at-risk list caught {pct(fit.fitted.catchRateList)}, was {pct(fit.current.catchRateList)}.
              {fit.ceiling ? ` With hindsight the best weights of this kind would have reached ${two(fit.ceiling.auc)}.` : ""}
            </Text>
            {fit.changes.length > 0 ? (
              <List>
                {fit.changes.map((c) => (
                  <List.Item key={c}>{c}</List.Item>
                ))}
              </List>
            ) : null}
            {fit.status === "adopted" ? (
              <InlineStack gap="200">
                <Form method="post">
                  <input type="hidden" name="intent" value="fit-keep" />
                  <input type="hidden" name="fitId" value={fit.id} />
                  <Button submit disabled={fit.decidedAt !== null && fit.decidedAt !== fit.asOf}>Keep fitted weights</Button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="fit-revert" />
                  <input type="hidden" name="fitId" value={fit.id} />
                  <Button submit tone="critical">Go back to the previous weights</Button>
                </Form>
              </InlineStack>
            ) : fit.status === "reverted" ? (
              <Text as="p" tone="subdued">You went back to the previous weights.</Text>
            ) : null}
          </BlockStack>
        )}
        <TextField
          label="People you can contact in a week"
          name="weeklyContacts"
          type="number"
          value={contacts}
          onChange={setContacts}
          autoComplete="off"
          helpText="The at-risk and critical bands then hold about that many subscribers. Leave empty to keep the thresholds as set."
          error={errors.weeklyContacts}
        />
      </BlockStack>
    </Card>
  );
}
