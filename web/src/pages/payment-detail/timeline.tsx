import { Badge, BlockStack, Button, Card, Collapsible, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";

import type { TimelineEntry } from "../../api/types";
import { useI18n } from "../../i18n/i18n-context";
import styles from "./payment-detail.module.css";
import { detailFacts, entryTitle, outcomeBadge, signatureCheck } from "./timeline-detail";

/** Everything that happened to the payment, oldest first: events, notifications, deliveries to Shopify. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useI18n();
  const ordered = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t.payment.timelineTitle}
        </Text>
        {ordered.length === 0 ? (
          <Text as="p" tone="subdued">
            {t.payment.timelineEmpty}
          </Text>
        ) : (
          <ol className={styles.timeline} data-testid="timeline">
            {ordered.map((entry, index) => (
              <TimelineItem key={`${entry.at}-${index}`} entry={entry} index={index} />
            ))}
          </ol>
        )}
      </BlockStack>
    </Card>
  );
}

function TimelineItem({ entry, index }: { entry: TimelineEntry; index: number }) {
  const { t, dates } = useI18n();
  const [open, setOpen] = useState(false);
  const signature = entry.kind === "notification" ? signatureCheck(entry) : null;
  const outcome = outcomeBadge(entry, t);
  const facts = detailFacts(entry, t);
  const detailId = `timeline-detail-${index}`;

  return (
    <li className={styles.timelineItem} data-kind={entry.kind} data-type={entry.type} data-testid="timeline-entry">
      <span className={styles.timelineDot} aria-hidden />
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="bodyMd" fontWeight="semibold">
            {entryTitle(entry, t)}
          </Text>
          {signature !== null ? (
            <Badge tone={signature ? "success" : "critical"}>{signature ? t.payment.signatureValid : t.payment.signatureInvalid}</Badge>
          ) : null}
          {outcome ? <Badge tone={outcome.tone}>{outcome.text}</Badge> : null}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          <time dateTime={entry.at}>{dates.dateTimeSeconds(entry.at)}</time> · {t.payment.kinds[entry.kind] ?? entry.kind}
        </Text>
        {facts.length > 0 ? (
          <>
            <InlineStack>
              <Button variant="plain" disclosure={open ? "up" : "down"} onClick={() => setOpen((value) => !value)} ariaControls={detailId} ariaExpanded={open}>
                {open ? t.common.hideDetail : t.common.showDetail}
              </Button>
            </InlineStack>
            <Collapsible id={detailId} open={open} transition={{ duration: "150ms", timingFunction: "ease-in-out" }}>
              <div className={styles.timelineDetail}>
                <dl className={styles.detailFacts}>
                  {facts.map((fact) => (
                    <div key={fact.key}>
                      <dt>{fact.label}</dt>
                      <dd>{fact.value}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            </Collapsible>
          </>
        ) : null}
      </BlockStack>
    </li>
  );
}
