import { Banner, BlockStack, Button, Card, DropZone, InlineStack, Layout, Spinner, Text } from "@shopify/polaris";
import { ImportIcon } from "@shopify/polaris-icons";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { ApiError, ApiResult } from "../../api/admin-client";
import { queryKeys } from "../../api/query-keys";
import { useReconciliationClient } from "../../api/reconciliation-context";
import type { FilePreview, SettlementImport, StartedImport } from "../../api/reconciliation-types";
import { ApiErrorBanner } from "../../components/api-error-banner";
import { useSession } from "../../components/session-context";
import { useToast } from "../../components/toast-context";
import { useApi } from "../../hooks/use-api";
import { useMutation } from "../../hooks/use-mutation";
import { useI18n } from "../../i18n/i18n-context";
import { draftToMapping, initialDraft, type MappingDraft, mappingProblems } from "./column-mapping";
import { FilePreviewCard } from "./file-preview-card";
import { ImportProgressCard, useImportPolling } from "./import-progress";
import { ImportResultCard } from "./import-result";
import { ImportsHistory } from "./imports-history";

type Step =
  | { kind: "choose" }
  | { kind: "uploading"; file: File }
  | { kind: "preview"; file: File; preview: FilePreview; draft: MappingDraft }
  | { kind: "importing"; started: StartedImport }
  | { kind: "result"; record: SettlementImport; duplicate: boolean };

const ACCEPT = ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const HISTORY_SIZE = 10;

/**
 * Importar: upload the portal's export → preview and column mapping → import with a progress bar →
 * result with bad rows; the shop's imports below. Re-importing a file the server already holds changes
 * nothing (it says so).
 */
export function ImportTab() {
  const client = useReconciliationClient();
  const session = useSession();
  const queryClient = useQueryClient();
  const history = useApi(() => client.imports(1, HISTORY_SIZE), queryKeys.importList(1, HISTORY_SIZE));
  const [step, setStep] = useState<Step>({ kind: "choose" });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<"check" | "import" | null>(null);
  const [showProblems, setShowProblems] = useState(false);

  const upload = async (file: File) => {
    setError(null);
    setShowProblems(false);
    setStep({ kind: "uploading", file });
    const [result, saved] = await Promise.all([client.preview(file), client.mapping()]);
    if (!result.ok) {
      setError(result.error);
      setStep({ kind: "choose" });
      return;
    }
    const preview = { ...result.value, savedMapping: saved.ok ? saved.value : null };
    setStep({ kind: "preview", file, preview, draft: initialDraft(preview) });
  };

  // The server previews with the shop's saved mapping: save this one, then read the first rows again with it.
  const check = async () => {
    if (step.kind !== "preview") return;
    setShowProblems(true);
    if (Object.keys(mappingProblems(step.draft)).length > 0) return;
    setBusy("check");
    setError(null);
    const mapping = draftToMapping(step.draft);
    const saved = await client.saveMapping(mapping);
    const result = saved.ok ? await client.preview(step.file) : saved;
    setBusy(null);
    if (!result.ok) setError(result.error);
    else setStep({ ...step, preview: { ...result.value, savedMapping: mapping } });
  };

  const startImport = async () => {
    if (step.kind !== "preview") return;
    setShowProblems(true);
    if (Object.keys(mappingProblems(step.draft)).length > 0) return;
    setBusy("import");
    setError(null);
    const saved = await client.saveMapping(draftToMapping(step.draft));
    let started: ApiResult<StartedImport> = saved.ok ? await client.startImport(step.preview.uploadId, step.file.name) : saved;
    if (saved.ok && !started.ok && started.error.kind === "server" && [400, 404, 410, 415].includes(started.error.status)) {
      // The upload expired or the API takes the file itself: send it again as the body.
      started = await client.importFile(step.file);
    }
    setBusy(null);
    if (!started.ok) {
      setError(started.error);
      return;
    }
    setStep({ kind: "importing", started: started.value });
    history.reload();
  };

  const reset = () => {
    setError(null);
    setStep({ kind: "choose" });
    history.reload();
  };

  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          <ApiErrorBanner error={error} onDismiss={() => setError(null)} />
          {step.kind === "choose" || step.kind === "uploading" ? (
            <UploadCard uploading={step.kind === "uploading"} fileName={step.kind === "uploading" ? step.file.name : null} onFile={(file) => void upload(file)} sandbox={session.mode === "sandbox"} />
          ) : step.kind === "preview" ? (
            <FilePreviewCard
              fileName={step.file.name}
              preview={step.preview}
              draft={step.draft}
              showProblems={showProblems}
              checking={busy === "check"}
              importing={busy === "import"}
              onChange={(draft) => setStep({ ...step, draft })}
              onCheck={() => void check()}
              onImport={() => void startImport()}
              onCancel={reset}
            />
          ) : step.kind === "importing" ? (
            <RunningImport
              started={step.started}
              onFinished={(record) => {
                setStep({ kind: "result", record, duplicate: step.started.duplicate });
                // The file reconciled payments: the history, every reconciliation read (and the nav badge), the reports.
                for (const queryKey of [queryKeys.imports, queryKeys.reconciliation, queryKeys.reports]) void queryClient.invalidateQueries({ queryKey });
              }}
            />
          ) : (
            <ImportResultCard record={step.record} duplicate={step.duplicate} onAnother={reset} />
          )}
          <ImportsHistory list={history} />
        </BlockStack>
      </Layout.Section>
    </Layout>
  );
}

function RunningImport({ started, onFinished }: { started: StartedImport; onFinished(record: SettlementImport): void }) {
  const { record, error } = useImportPolling(started.import, onFinished);
  return <ImportProgressCard record={record} error={error} />;
}

function UploadCard(props: { uploading: boolean; fileName: string | null; sandbox: boolean; onFile(file: File): void }) {
  const { t } = useI18n();
  const s = t.settlements.import;
  const [rejected, setRejected] = useState<string | null>(null);
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {s.uploadTitle}
          </Text>
          <Text as="p" tone="subdued">
            {s.uploadHelp}
          </Text>
        </BlockStack>
        {rejected ? (
          <Banner tone="warning" onDismiss={() => setRejected(null)}>
            <p>{rejected}</p>
          </Banner>
        ) : null}
        {props.uploading ? (
          <InlineStack gap="300" blockAlign="center">
            <Spinner size="small" accessibilityLabel={s.uploading} />
            <Text as="span">
              {s.uploading} {props.fileName}
            </Text>
          </InlineStack>
        ) : (
          <div data-testid="settlement-upload">
            <DropZone
              id="settlement-file"
              label={s.fileLabel}
              labelHidden
              accept={ACCEPT}
              allowMultiple={false}
              variableHeight
              onDrop={(_files, accepted, rejectedFiles) => {
                const file = accepted[0];
                if (file) {
                  setRejected(null);
                  props.onFile(file);
                } else if (rejectedFiles[0]) {
                  setRejected(s.rejectedFile(rejectedFiles[0].name));
                }
              }}
            >
              <div style={{ padding: "var(--p-space-600)" }}>
                <DropZone.FileUpload actionTitle={s.chooseFile} actionHint={s.dropHint} />
              </div>
            </DropZone>
          </div>
        )}
        {props.sandbox ? <SampleActions /> : null}
      </BlockStack>
    </Card>
  );
}

/** Sandbox only: the sample settlement file, and the settings it was made for (mapping, fees, payout cycle). */
function SampleActions() {
  const { t } = useI18n();
  const s = t.settlements.import;
  const client = useReconciliationClient();
  const toast = useToast();
  const setup = useMutation();
  const apply = async () => {
    const result = await setup.run(() => client.setUpSample());
    if (!result?.ok) return;
    const configured = result.value.configured;
    toast(configured.mapping || configured.feeSchedule || configured.payoutCycle ? s.sampleSetupDone : s.sampleSetupNothing);
  };
  return (
    <BlockStack gap="200">
      <ApiErrorBanner error={setup.error} onDismiss={setup.clearError} />
      <InlineStack gap="200" blockAlign="center">
        <Button icon={ImportIcon} url={client.sampleFileUrl()} download>
          {s.sample}
        </Button>
        <Button variant="tertiary" onClick={() => void apply()} loading={setup.busy}>
          {s.sampleSetup}
        </Button>
      </InlineStack>
      <Text as="span" variant="bodySm" tone="subdued">
        {s.sampleHelp}
      </Text>
    </BlockStack>
  );
}
