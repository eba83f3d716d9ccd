import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../helpers/admin-browser";
import { startAdminTestApp } from "../helpers/admin-test-app";
import { PORTAL_HEADER, PORTAL_MAPPING, uploadRaw, waitForImport } from "../helpers/reconciliation-helpers";
import type { TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Cross-shop settlement upload": an upload id belongs to the shop that uploaded it. Another
 * shop that learns the id (it is in the preview answer, in logs, in a shared screen) gets 404 for it,
 * and its attempt neither consumes the upload nor reveals anything of the file (not even its headers).
 */
const SECRET_HEADER = `${PORTAL_HEADER};ColumnaSecretaDeB`;
const FILE = [SECRET_HEADER, "61000001;10.00;PEN;2025-07-01 10:00:00;Agente;0.30;9.70;2025-07-03;1;x"].join("\n");
// A mapping that names a column the owner's file does not have: an import of that file fails, and a
// careless failure message would list the file's headers.
const WRONG_MAPPING = { ...PORTAL_MAPPING, columns: { ...PORTAL_MAPPING.columns, cip: "No existe" } };

describe("settlement uploads are scoped to their shop", () => {
  let t: TestApp;
  let owner: AdminApi;
  let intruder: AdminApi;

  beforeAll(async () => {
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    owner = (await signIn(t, "pagoefectivo-demo.myshopify.com", "login")).api;
    intruder = (await signIn(t, "otra-tienda-cusco.myshopify.com", "install")).api;
    expect((await owner.put("/api/settlements/mapping", PORTAL_MAPPING)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("answers 404 to another shop's upload id, changes nothing and leaks no header", async () => {
    const preview = await uploadRaw(owner, "/api/settlements/preview", FILE, { fileName: "b.csv" });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const { uploadId } = preview.body as { uploadId: string };

    // Without a mapping the intruder's import is refused (409 before the fix) and the owner's upload deleted.
    const noMapping = await intruder.post<{ error: { message: string } }>("/api/settlements/imports", { uploadId, fileName: "robado.csv" });
    expect(noMapping.status).toBe(404);
    expect(JSON.stringify(noMapping.body)).not.toContain("ColumnaSecretaDeB");

    // With a mapping that does not fit, the import would run and fail showing the file's headers.
    expect((await intruder.put("/api/settlements/mapping", WRONG_MAPPING)).status).toBe(200);
    const stolen = await intruder.post<{ error: { message: string } }>("/api/settlements/imports", { uploadId, fileName: "robado.csv" });
    expect(stolen.status).toBe(404);
    expect(JSON.stringify(stolen.body)).not.toContain("ColumnaSecretaDeB");
    const intruderImports = await intruder.get<{ items: unknown[]; total: number }>("/api/settlements/imports");
    expect(intruderImports.body.total).toBe(0);
    expect(await t.app.db.prisma.settlementImport.count()).toBe(0);

    // The owner's upload is intact: its import starts and finishes.
    const mine = await owner.post<{ import: { id: string } }>("/api/settlements/imports", { uploadId, fileName: "b.csv" });
    expect(mine.status, JSON.stringify(mine.body)).toBe(202);
    const finished = await waitForImport(owner, mine.body.import.id);
    expect(finished.status, finished.failureReason ?? "").toBe("done");
  });

  it("answers 404 to another shop's fresh upload id whatever its own settings", async () => {
    const preview = await uploadRaw(owner, "/api/settlements/preview", `${FILE}\n61000002;11.00;PEN;2025-07-01 10:00:00;Agente;0.30;10.70;2025-07-03;2;y`, { fileName: "c.csv" });
    const { uploadId } = preview.body as { uploadId: string };
    const response = await intruder.post("/api/settlements/imports", { uploadId, fileName: "x.csv" });
    expect(response.status).toBe(404);
  });
});
