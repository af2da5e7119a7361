// The app's address on its own, as in Shopify's app template: opened from the Shopify admin
// (a `shop` in the query) it goes on to the app; otherwise it says what Lifeline is and
// offers the login form.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, BlockStack, Button, Card, InlineStack, List, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { login } from "../../shopify.server";
import { APP_NAME } from "../../pages/shared/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];
export const meta: MetaFunction = () => [{ title: `${APP_NAME}: who is about to cancel, and why` }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { showForm: Boolean(login), polarisTranslations };
};

export default function Landing() {
  const { showForm, polarisTranslations: i18n } = useLoaderData<typeof loader>();
  const [shop, setShop] = useState("");
  return (
    <PolarisAppProvider i18n={i18n}>
      <Page narrowWidth>
        <BlockStack gap="500">
          <BlockStack gap="200">
            <Text as="h1" variant="heading2xl">
              {APP_NAME}
            </Text>
            <Text as="p" variant="bodyLg">
              Every Monday, the subscribers who are about to cancel, why, and what to do about it.
            </Text>
          </BlockStack>
          {showForm ? (
            <Card>
              <Form method="post" action="/auth/login">
                <InlineStack gap="300" blockAlign="end">
                  <TextField type="text" name="shop" label="Shop domain" helpText="example.myshopify.com" value={shop} onChange={setShop} autoComplete="on" />
                  <Button submit variant="primary">
                    Log in
                  </Button>
                </InlineStack>
              </Form>
            </Card>
          ) : null}
          <Card>
            <List>
              <List.Item>
                <Text as="span" fontWeight="semibold">
                  A health score for every subscriber.
                </Text>{" "}
                Skips, failed payments, pauses and support tickets, in plain words.
              </List.Item>
              <List.Item>
                <Text as="span" fontWeight="semibold">
                  This week's at-risk list.
                </Text>{" "}
                Ranked by what each subscriber is worth, with the reason and the suggested play.
              </List.Item>
              <List.Item>
                <Text as="span" fontWeight="semibold">
                  Plays measured against a holdout.
                </Text>{" "}
                Klaviyo flows and tasks, and how many subscribers they kept.
              </List.Item>
            </List>
          </Card>
        </BlockStack>
      </Page>
    </PolarisAppProvider>
  );
}
