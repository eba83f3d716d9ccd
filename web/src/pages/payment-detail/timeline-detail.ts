import type { BadgeProps } from "@shopify/polaris";

import type { TimelineEntry } from "../../api/types";
import type { Messages } from "../../i18n/es";

/**
 * Reading a timeline entry for display: a title in the panel's language (by `type`, the server's
 * English title as the fallback), the signature check of a notification and the outcome of a
 * notification or delivery as badges, and the remaining facts listed as they came.
 */

export interface TimelineBadge {
  text: string;
  tone: BadgeProps["tone"];
}

const SIGNATURE_KEYS = ["signatureValid", "signatureOk", "validSignature", "signatureVerified"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function entryTitle(entry: TimelineEntry, t: Messages): string {
  switch (entry.kind) {
    case "event":
      return t.timeline.events[entry.type] ?? entry.title;
    case "notification":
      return t.timeline.notification(entry.type);
    case "delivery":
      return t.timeline.jobs[entry.type] ?? entry.title;
    default:
      return entry.title;
  }
}

export function signatureCheck(entry: TimelineEntry): boolean | null {
  const detail = entry.detail;
  if (!isRecord(detail)) return null;
  for (const key of SIGNATURE_KEYS) {
    if (typeof detail[key] === "boolean") return detail[key];
  }
  return null;
}

export function outcomeBadge(entry: TimelineEntry, t: Messages): TimelineBadge | null {
  const detail = entry.detail;
  if (!isRecord(detail) || typeof detail.outcome !== "string" || detail.outcome === "") return null;
  const outcome = detail.outcome;
  const labels = entry.kind === "delivery" ? t.timeline.deliveryOutcomes : t.timeline.notificationOutcomes;
  return { text: labels[outcome] ?? outcome, tone: outcomeTone(outcome) };
}

function outcomeTone(outcome: string): BadgeProps["tone"] {
  if (/^(done|marked_paid|received|recorded_.*)$/.test(outcome)) return "success";
  if (/^(retry|flagged.*|duplicate)$/.test(outcome)) return "attention";
  if (/^(failed|rejected_signature|malformed|unknown_.*)$/.test(outcome)) return "critical";
  return undefined;
}

/** Label/value pairs to list, leaving out what the badges already show. */
export function detailFacts(entry: TimelineEntry, t: Messages): Array<{ key: string; label: string; value: string }> {
  const detail = entry.detail;
  if (!isRecord(detail)) return [];
  const shown = new Set(["outcome", ...SIGNATURE_KEYS]);
  return Object.entries(detail)
    .filter(([key, value]) => !shown.has(key) && value !== null && value !== undefined && value !== "")
    .map(([key, value]) => ({
      key,
      label: t.timeline.detailKeys[key] ?? key,
      value: typeof value === "string" ? value : JSON.stringify(value, null, 2),
    }));
}
