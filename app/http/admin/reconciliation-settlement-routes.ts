import { Router } from "express";

import { columnMappingRequest, feeEntryRequest, idParam, importFromUploadRequest, payoutCycleRequest, previewQuery } from "../../contracts/admin-api";
import { SETTLEMENT_FIELDS } from "../../domain/settlement/column-mapping";
import { termsToView } from "../../domain/settlement/payout-terms";
import type { Clock } from "../../lib/clock";
import type { UnreadableFormat } from "../../ports/settlement-files";
import type { StartImportError } from "../../use-cases/import-settlement-file/start-settlement-import";
import { calendarFor } from "../../use-cases/run-reconciliation/settlement-expectations";
import { type HttpError, notFound } from "../http-error";
import { refusalError } from "../result-status";
import { adminOf } from "./admin-auth";
import { parseInput } from "./parse-input";
import { parsePaging } from "./payments-query";
import type { ReconciliationHttpDeps } from "./reconciliation-routes";
import { receiveUpload } from "./reconciliation-upload";
import { feeEntryView, importView } from "./reconciliation-views";

/**
 * /api/settlements/*: the column mapping, file preview and import (raw body upload, background import
 * with progress), the fee schedule and the payout cycle (docs/admin-api.md).
 */
export function settlementRoutes(deps: { reconciliation: ReconciliationHttpDeps; clock: Clock }): Router {
  const router = Router();
  const { reconciliation: r, clock } = deps;

  router.get("/settlements/mapping", async (_req, res) => {
    const { shop } = adminOf(res);
    res.json({ mapping: await r.settings.mapping(shop.id), fields: SETTLEMENT_FIELDS });
  });

  router.put("/settlements/mapping", async (req, res) => {
    const { shop } = adminOf(res);
    const mapping = await r.manageSettings.saveMapping(shop.id, parseInput(columnMappingRequest, req.body, "body"));
    res.json({ mapping, fields: SETTLEMENT_FIELDS });
  });

  router.post("/settlements/preview", async (req, res) => {
    const { shop } = adminOf(res);
    const { rows } = parseInput(previewQuery, { rows: req.query.rows }, "query");
    const { upload, fileName } = await receiveUpload(req, r.uploads, shop.id);
    const result = await r.preview.execute({ shopId: shop.id, upload, rows });
    if (!result.ok) {
      throw result.error.kind === "unsupported_format" ? unreadableFile(result.error.format, result.error.message, fileName) : refusalError(result.error.kind, result.error.message);
    }
    const p = result.value;
    res.json({
      uploadId: p.uploadId,
      fileName,
      format: p.format,
      sizeBytes: p.sizeBytes,
      fileHash: p.fileHash,
      alreadyImported: p.alreadyImported ? importView(p.alreadyImported) : null,
      mappingApplied: p.mappingApplied,
      headers: p.preview.headers,
      headerLineNumber: p.preview.headerLineNumber,
      rows: p.preview.rows,
      suggestedMapping: p.preview.suggestedMapping,
      // Without a mapping nothing is parsed yet: null, never a missing field (the wire contract).
      parsed:
        p.preview.parsed?.map((row) =>
          row.ok
            ? { line: row.lineNumber, ok: true, value: { ...row.line, paymentDate: isoOrNull(row.line.paymentDate), payoutDate: isoOrNull(row.line.payoutDate) } }
            : { line: row.lineNumber, ok: false, reason: row.reason },
        ) ?? null,
      delimiter: p.preview.delimiter ?? null,
      encoding: p.preview.encoding ?? null,
    });
  });

  router.post("/settlements/imports", async (req, res) => {
    const principal = adminOf(res);
    const shopId = principal.shop.id;
    const createdBy = principal.session.email ?? principal.session.userId ?? null;
    let started;
    let name: string;
    if (!req.is("application/json")) {
      // receiveUpload answers 415 for anything that is neither JSON nor a file type.
      const { upload, fileName } = await receiveUpload(req, r.uploads, shopId);
      name = fileName;
      started = await r.startImport.execute({ shopId, upload, fileName, createdBy });
    } else {
      const { uploadId, fileName } = parseInput(importFromUploadRequest, req.body, "body");
      name = fileName;
      started = await r.startImport.execute({ shopId, upload: { uploadId }, fileName, createdBy });
    }
    if (!started.ok) throw startError(started.error, name);
    res.status(started.value.duplicate ? 200 : 202).json({ import: importView(started.value.import), duplicate: started.value.duplicate });
  });

  router.get("/settlements/imports", async (req, res) => {
    const { shop } = adminOf(res);
    const { page, pageSize } = parsePaging(req.query);
    const { items, total } = await r.imports.list(shop.id, { skip: (page - 1) * pageSize, take: pageSize });
    res.json({ items: items.map(importView), total, page, pageSize });
  });

  router.get("/settlements/imports/:id", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const record = await r.imports.findForShop(shop.id, id);
    if (!record) throw notFound(`Import ${id} not found`);
    res.json(importView(record));
  });

  router.get("/settlements/fee-schedule", async (_req, res) => {
    const { shop } = adminOf(res);
    const entries = await r.settings.feeEntries(shop.id);
    res.json({ entries: entries.map(feeEntryView), commissionToleranceMinor: 1 });
  });

  router.post("/settlements/fee-schedule", async (req, res) => {
    const { shop } = adminOf(res);
    const result = await r.manageSettings.createFeeEntry(shop.id, parseInput(feeEntryRequest, req.body, "body"));
    if (!result.ok) throw refusalError(result.error.kind, result.error.message);
    res.status(201).json(feeEntryView(result.value));
  });

  router.put("/settlements/fee-schedule/:id", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const result = await r.manageSettings.updateFeeEntry(shop.id, id, parseInput(feeEntryRequest, req.body, "body"));
    if (!result.ok) throw refusalError(result.error.kind, result.error.message);
    res.json(feeEntryView(result.value));
  });

  router.delete("/settlements/fee-schedule/:id", async (req, res) => {
    const { shop } = adminOf(res);
    const { id } = parseInput(idParam, req.params, "path");
    const result = await r.manageSettings.deleteFeeEntry(shop.id, id);
    if (!result.ok) throw refusalError(result.error.kind, result.error.message);
    res.status(204).end();
  });

  router.get("/settlements/payout-cycle", async (_req, res) => {
    const { shop } = adminOf(res);
    const state = await r.settings.payoutTermsState(shop.id);
    res.json(payoutCycleView(state.terms, state.configured, clock.now()));
  });

  router.put("/settlements/payout-cycle", async (req, res) => {
    const { shop } = adminOf(res);
    const terms = await r.manageSettings.savePayoutTerms(shop.id, parseInput(payoutCycleRequest, req.body, "body"));
    res.json(payoutCycleView(terms, true, clock.now()));
  });

  return router;
}

function payoutCycleView(terms: Parameters<typeof termsToView>[0], configured: boolean, now: Date) {
  const calendar = calendarFor(terms.extraClosedDays);
  const year = Number(now.toISOString().slice(0, 4));
  return {
    ...termsToView(terms),
    configured,
    /** Peruvian public holidays (and the extra closed days) the calendar skips, this year and next. */
    holidays: { [year]: calendar.holidaysOf(year), [year + 1]: calendar.holidaysOf(year + 1) },
  };
}

/** A file that cannot be read, by what it is: the panel says what is wrong and which file to send instead. */
function unreadableFile(format: UnreadableFormat, message: string, fileName: string): HttpError {
  return refusalError(`unreadable_${format}`, message, { params: { fileName } });
}

function startError(error: StartImportError, fileName: string): HttpError {
  return error.kind === "unsupported_format" ? unreadableFile(error.format, error.message, fileName) : refusalError(error.kind, error.message);
}

function isoOrNull(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
