/**
 * The admin API's error codes (app/contracts/admin-api: `error.code` and `error.params`) in the panel's
 * two languages. The server's `message` is English for logs and API users; the panel never shows it.
 * A code missing here falls back to a sentence by HTTP status (api-error-banner.tsx).
 */
type Params = Record<string, string | number>;
export type ErrorCatalog = Record<string, (params: Params) => string>;

const day = (value: string | number | undefined) => String(value ?? "");
/** «estado.pdf» when the server named the file, else the fallback words. */
const named = (p: Params, fallback: string) => (typeof p.fileName === "string" && p.fileName ? `«${p.fileName}»` : fallback);

export const errorCodesEs: ErrorCatalog = {
  bad_request: () => "Revisa los datos marcados e inténtalo de nuevo.",
  not_found: () => "No encontramos lo que buscas. Puede que ya no exista.",
  conflict: () => "El estado cambió mientras tanto. Recarga la página e inténtalo de nuevo.",
  forbidden: () => "El servidor rechazó la acción. Recarga la página e inténtalo de nuevo.",
  unprocessable: () => "No se pudo procesar lo que enviaste. Revisa los datos e inténtalo de nuevo.",
  shopify_error: () => "Shopify no aceptó el cambio. Inténtalo de nuevo en unos minutos.",
  internal_error: () => "Algo falló en el servidor. Inténtalo de nuevo en unos minutos.",
  unavailable: () => "El servicio no está disponible por un momento. Inténtalo de nuevo en unos minutos.",
  activation_not_ready: () => "Antes de activar, guarda tus credenciales de PagoEfectivo y prueba la conexión.",
  not_installed: () => "La app no está instalada en esta tienda. Instálala desde tu admin de Shopify.",
  secret_key_required: () => "Escribe la secret key: se pide la primera vez que guardas las credenciales.",
  refund_date_in_future: (p) => `La fecha del reembolso (${day(p.refundedOn)}) es posterior a hoy (${day(p.today)}). Usa el día en que devolviste el dinero.`,
  refund_already_decided: () => "Este reembolso ya se registró o se rechazó. Recarga la página para ver su estado.",
  exception_already_resolved: () => "Esta excepción ya estaba resuelta.",
  no_mapping: () => "Antes de importar, elige qué columna del archivo es el CIP y cuál el importe.",
  upload_not_found: () => "El archivo subido ya no está disponible. Vuelve a elegirlo.",
  upload_interrupted: () => "La subida del archivo se cortó. Vuelve a intentarlo.",
  file_empty: () => "El archivo está vacío. Sube el CSV o Excel (.xlsx) que exportas del portal de PagoEfectivo.",
  file_too_large: (p) => `El archivo pesa más de ${day(p.maxMiB)} MB. Exporta un período más corto.`,
  file_type_unsupported: () => "Ese tipo de archivo no se puede leer. Sube el CSV o Excel (.xlsx) que exportas del portal de PagoEfectivo.",
  file_xls_unsupported: () => "Los archivos .xls (Excel antiguo) no se pueden leer. Guárdalo como .xlsx o .csv y súbelo de nuevo.",
  file_pdf_unsupported: (p) => `${named(p, "El archivo")} es un PDF y no se puede leer. Sube el CSV o Excel (.xlsx) que exportas del portal de PagoEfectivo, no el PDF.`,
  file_unreadable: (p) => `${named(p, "El archivo")} no es un CSV ni un Excel (.xlsx) que se pueda leer: puede estar dañado o ser de otro tipo. Sube el CSV o Excel (.xlsx) que exportas del portal de PagoEfectivo.`,
};

export const errorCodesEn: ErrorCatalog = {
  bad_request: () => "Check the marked fields and try again.",
  not_found: () => "We could not find what you are looking for. It may no longer exist.",
  conflict: () => "The state changed meanwhile. Reload the page and try again.",
  forbidden: () => "The server refused the action. Reload the page and try again.",
  unprocessable: () => "What you sent could not be processed. Check it and try again.",
  shopify_error: () => "Shopify did not accept the change. Try again in a few minutes.",
  internal_error: () => "Something failed on the server. Try again in a few minutes.",
  unavailable: () => "The service is briefly unavailable. Try again in a few minutes.",
  activation_not_ready: () => "Before activating, save your PagoEfectivo credentials and test the connection.",
  not_installed: () => "The app is not installed on this store. Install it from your Shopify admin.",
  secret_key_required: () => "Enter the secret key: it is required the first time you save the credentials.",
  refund_date_in_future: (p) => `The refund date (${day(p.refundedOn)}) is after today (${day(p.today)}). Use the day you paid the money back.`,
  refund_already_decided: () => "This refund was already recorded or rejected. Reload the page to see its state.",
  exception_already_resolved: () => "This exception was already resolved.",
  no_mapping: () => "Before importing, choose which column of the file is the CIP and which the amount.",
  upload_not_found: () => "The uploaded file is no longer available. Choose it again.",
  upload_interrupted: () => "The upload was interrupted. Try again.",
  file_empty: () => "The file is empty. Upload the CSV or Excel (.xlsx) you export from the PagoEfectivo portal.",
  file_too_large: (p) => `The file is larger than ${day(p.maxMiB)} MB. Export a shorter period.`,
  file_type_unsupported: () => "That kind of file cannot be read. Upload the CSV or Excel (.xlsx) you export from the PagoEfectivo portal.",
  file_xls_unsupported: () => "Old Excel .xls files cannot be read. Save it as .xlsx or .csv and upload it again.",
  file_pdf_unsupported: (p) => `${named(p, "The file")} is a PDF and cannot be read. Upload the CSV or Excel (.xlsx) you export from the PagoEfectivo portal, not the PDF.`,
  file_unreadable: (p) => `${named(p, "The file")} is not a CSV or Excel (.xlsx) file that can be read: it may be damaged or of another kind. Upload the CSV or Excel (.xlsx) you export from the PagoEfectivo portal.`,
};
