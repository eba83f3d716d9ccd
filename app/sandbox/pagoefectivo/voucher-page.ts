import { type CipStatus } from "./cip-status";
import { type EmulatorCurrency, formatForPeople } from "./emulator-money";
import { formatLimaForPeople } from "./lima-time";

export interface VoucherData {
  cip: string;
  amountMinor: number;
  currency: EmulatorCurrency;
  dateExpiry: Date;
  status: CipStatus;
  transactionCode: string;
  paymentConcept: string | undefined;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Self-contained on purpose (inline CSS, no scripts or external assets), so it works offline and under a strict CSP. */
const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f4f4;color:#222}
main{max-width:28rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.1rem;margin:0 0 1rem}.cip{font-size:2rem;font-weight:700;letter-spacing:.1em;margin:.25rem 0 1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;margin:0}dt{color:#666}dd{margin:0}
.note{font-size:.8rem;color:#666;margin-top:1.5rem}`;

export function renderVoucherPage(v: VoucherData): string {
  const rows: [string, string][] = [
    ["Monto", formatForPeople(v.amountMinor, v.currency)],
    ["Vence", `${formatLimaForPeople(v.dateExpiry)} (hora de Lima)`],
    ["Estado", v.status.name],
    ["Referencia", v.transactionCode],
  ];
  if (v.paymentConcept) rows.push(["Concepto", v.paymentConcept]);
  return page(
    `CIP ${v.cip}`,
    `<h1>PagoEfectivo: código de pago (CIP)</h1>
<p>Paga con este código en tu banca móvil o por internet, en agentes, bodegas o billeteras.</p>
<div class="cip">${escapeHtml(v.cip)}</div>
<dl>${rows.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(val)}</dd>`).join("")}</dl>
<p class="note">Entorno de pruebas (sandbox): este comprobante no es válido para pagos reales.</p>`,
  );
}

export function renderVoucherNotFound(): string {
  return page("CIP no encontrado", "<h1>CIP no encontrado</h1><p>El comprobante solicitado no existe.</p>");
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="es-PE"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}
