import { BlockStack, Card, Layout, SkeletonBodyText, SkeletonDisplayText, SkeletonPage } from "@shopify/polaris";

/** What a page looks like while its data loads: Polaris' skeleton, with the real title when known. */
export function PageSkeleton(props: { title?: string; backAction?: boolean; withSidebar?: boolean }) {
  return (
    <SkeletonPage {...(props.title ? { title: props.title } : {})} backAction={props.backAction ?? false}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="400">
                <SkeletonDisplayText size="small" />
                <SkeletonBodyText lines={5} />
              </BlockStack>
            </Card>
            <Card>
              <SkeletonBodyText lines={4} />
            </Card>
          </BlockStack>
        </Layout.Section>
        {props.withSidebar ? (
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="400">
                <SkeletonDisplayText size="small" />
                <SkeletonBodyText lines={3} />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </SkeletonPage>
  );
}
