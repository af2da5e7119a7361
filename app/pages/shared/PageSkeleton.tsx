import { BlockStack, Card, Layout, SkeletonBodyText, SkeletonDisplayText, SkeletonPage } from "@shopify/polaris";

const TITLES: [RegExp, string][] = [
  [/^\/app\/at-risk/, "At-risk this week"],
  [/^\/app\/tasks/, "Tasks"],
  [/^\/app\/settings/, "Settings"],
  [/^\/app\/reports/, "Reports"],
  [/^\/app\/playbook\/new$/, "New trigger"],
  [/^\/app\/playbook\/[^/]+/, ""],
  [/^\/app\/playbook/, "Playbook"],
  [/^\/app\/subscribers\/[^/]+/, ""],
  [/^\/app\/subscribers/, "Subscribers"],
  [/^\/app\/?$/, "Lifeline"],
];

/** The outline of the page being loaded, shown while its data arrives. */
export function PageSkeleton({ pathname }: { pathname: string }) {
  const title = TITLES.find(([pattern]) => pattern.test(pathname))?.[1] ?? "";
  return (
    <SkeletonPage title={title || undefined} primaryAction backAction={/^\/app\/subscribers\/[^/]+/.test(pathname)}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={6} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <SkeletonBodyText lines={4} />
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}
