import { useEffect } from "react";

import { useI18n } from "../i18n/i18n-context";

/** "Pagos · PagoEfectivo" in the browser tab. */
export function useDocumentTitle(page: string): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t.documentTitle(page);
  }, [page, t]);
}
