/**
 * Every rule the PagoEfectivo emulator enforces WITHOUT a source, in one place. The documented rules cite
 * their source where they are implemented (DOC = "SPE-ECS Integración API CIP 1.1"; DEMO =
 * PagoEfectivo/api-pe-cs-demo; CSDOC = PagoEfectivo/api-pe-cs-documentation; see docs/contracts.md). A guess
 * is the behaviour a careful client must survive; when a source turns up, move the rule out of this list.
 * GET /sandbox/pagoefectivo/guesses serves this list, and docs/contracts.md repeats it.
 */

/** DOC §5.1.1 types idService "N 4" but production services have 5 digits; the upper bound of 9 is a guess. */
export const MAX_SERVICE_ID_DIGITS = 9;
export const MAX_SERVICE_ID = 999_999_999;
export const SERVICE_ID_PATTERN = new RegExp(`^\\d{1,${MAX_SERVICE_ID_DIGITS}}$`);

/** How far a signed dateRequest may be from the service's clock before it is refused (400, 113 on dateRequest). */
export const DATE_REQUEST_TOLERANCE_MS = 10 * 60 * 1000;

/** Lifetime of a CIP created without dateExpiry; DOC says only "the default agreed with the merchant". */
export const DEFAULT_CIP_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** openfintech lists 0.01-385000 PEN as PagoEfectivo's range (an aggregator's page, not PagoEfectivo's). */
export const DEFAULT_MAX_AMOUNT_MINOR = 38_500_000;

/** A USD amount is checked against the PEN maximum at this fixed rate (percent). */
export const USD_TO_PEN_RATE_PERCENT = 375;

/** CIPs per POST /v1/cips/search; the legacy PrestaShop admin caps its lookup at 10, the API's cap is unknown. */
export const MAX_SEARCH_CIPS = 10;

/** DOC says a failed notification is tried a second time; when, and how long a try may take, it does not say. */
export const NOTIFICATION_RETRY_DELAY_MS = 2_000;
export const NOTIFICATION_TIMEOUT_MS = 10_000;

export interface Guess {
  id: string;
  rule: string;
}

export const EMULATOR_GUESSES: readonly Guess[] = [
  { id: "G-SERVICE-ID", rule: `idService has 1 to ${MAX_SERVICE_ID_DIGITS} digits (DOC: N 4; production: 5).` },
  {
    id: "G-DATE-REQUEST-WINDOW",
    rule: `A dateRequest more than ${DATE_REQUEST_TOLERANCE_MS / 60_000} minutes from the service's clock is refused with 400, code 111, field error 113 on dateRequest.`,
  },
  { id: "G-DATE-OFFSET", rule: "Dates must carry the Lima offset, written -05:00 or -0500; other offsets and UTC are refused." },
  { id: "G-DEFAULT-LIFETIME", rule: `A CIP created without dateExpiry lives ${DEFAULT_CIP_LIFETIME_MS / 3_600_000} hours.` },
  { id: "G-MAX-AMOUNT", rule: "A service's maximum amount defaults to S/ 385,000.00 (openfintech's range); above it: 400 code 511." },
  { id: "G-USD-RATE", rule: `USD amounts are compared with the PEN maximum at ${USD_TO_PEN_RATE_PERCENT / 100} PEN per USD.` },
  { id: "G-SERVICE-ID-MISMATCH", rule: "A CIP body whose serviceId is not the token's service is refused with 400 code 508." },
  { id: "G-AMOUNT-POSITIVE", rule: "amount must be greater than zero, with at most 2 decimals and 16 integer digits (N18 in DOC)." },
  { id: "G-EMAIL-SHAPE", rule: "userEmail and adminEmail must look like name@domain.tld." },
  { id: "G-DOCUMENT-NUMBER", rule: "userDocumentNumber accepts letters (passports, CE) although DOC types it N 14." },
  { id: "G-CONTENT-TYPE", rule: "v1 bodies must be sent as application/json (415 otherwise), as an ASP.NET [FromBody] action requires." },
  { id: "G-401-BODY", rule: 'Missing, forged or expired tokens and wrong credentials answer 401 {"code":"401","message":...}.' },
  { id: "G-404-BODY", rule: 'Unknown routes and CIPs of another service answer 404 {"code":"404","message":"Recurso no encontrado."}.' },
  { id: "G-SEARCH-CAP", rule: `Search takes at most ${MAX_SEARCH_CIPS} CIPs per call; more is 400 with 113 on data.` },
  { id: "G-SEARCH-UNKNOWN", rule: "Search leaves unknown CIPs and CIPs of other services out of data instead of failing." },
  { id: "G-CHANGE-FINAL", rule: "PATCH or DELETE of a paid or deleted CIP is refused with 400, 113 on cip." },
  { id: "G-CHANGE-ANSWER", rule: "PATCH and DELETE answer 200 with the CIP as search shows it." },
  { id: "G-CIP-NUMBERS", rule: "CIP numbers are sequential from 2523137, operation numbers from 1000001." },
  {
    id: "G-NOTIFY-TIMING",
    rule: `A notification not answered 200 is tried once more after ${NOTIFICATION_RETRY_DELAY_MS / 1000} s; each try gives up after ${NOTIFICATION_TIMEOUT_MS / 1000} s.`,
  },
  { id: "G-LATE-PAYMENT", rule: "The control API can pay an expired CIP (a bank may accept a code late); the real service's rule is unknown." },
];
