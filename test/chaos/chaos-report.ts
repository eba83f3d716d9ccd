import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";

import { ROOT } from "./chaos-harness";

/** Prints one scenario's figures and appends them to test-results/chaos.jsonl (the README quotes the last run). */
export function record(scenario: string, figures: Record<string, number>): void {
  const line = { scenario, at: new Date().toISOString(), ...figures };
  process.stdout.write(`chaos ${scenario}: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(" ")}\n`);
  const dir = path.join(ROOT, "test-results");
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, "chaos.jsonl"), `${JSON.stringify(line)}\n`);
}
