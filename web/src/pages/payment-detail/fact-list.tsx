import { Text } from "@shopify/polaris";
import type { ReactNode } from "react";

import styles from "./payment-detail.module.css";

export interface Fact {
  label: string;
  value: ReactNode;
}

/** Label/value pairs in two columns (a description list), nulls skipped. */
export function FactList({ facts }: { facts: Array<Fact | null | false> }) {
  return (
    <dl className={styles.facts}>
      {facts
        .filter((fact): fact is Fact => Boolean(fact))
        .map((fact) => (
          <div key={fact.label} className={styles.fact}>
            <dt>
              <Text as="span" tone="subdued">
                {fact.label}
              </Text>
            </dt>
            <dd>{typeof fact.value === "string" ? <Text as="span">{fact.value}</Text> : fact.value}</dd>
          </div>
        ))}
    </dl>
  );
}
