/*
 * Channels: only what is documented. The bank and agent lists are the channels whose logos PagoEfectivo's
 * official integration kits ship (SamuelMauricioL/python_api_pagoefectivo, static/cadmin/img/); the split
 * into "banca móvil o internet" and "agentes y bodegas" is Culqi's Shopify manual's. Wallets (Yape, Plin)
 * are not named: no PagoEfectivo document found says how to pay a CIP with them, and our QR holds only
 * the CIP digits, which no wallet is documented to read. The voucher (cipUrl) lists PagoEfectivo's own.
 */

/** The languages the buyer page speaks: Spanish (Peru) by default, English on request. */
export const BUYER_LOCALES = ["es", "en"] as const;
export type BuyerLocale = (typeof BUYER_LOCALES)[number];

/** Calling codes offered next to the phone field; +51 (Peru) first and preselected. */
export const PHONE_COUNTRY_CODES = ["+51", "+1", "+54", "+55", "+56", "+57", "+58", "+591", "+593", "+34"] as const;
export type PhoneCountryCode = (typeof PHONE_COUNTRY_CODES)[number];

export interface PaymentChannelStrings {
  readonly id: "bank" | "agents";
  readonly title: string;
  /** Who takes the payment on this channel, shown as one short line. */
  readonly where: string;
  readonly steps: readonly string[];
}

/** The words for each BuyerPhoneProblem (app/domain/buyer-phone.ts); `{n}` is the digit count. */
export interface PhoneProblemStrings {
  readonly empty: string;
  readonly characters: string;
  readonly peru_start: string;
  readonly peru_length: string;
  readonly other_length: string;
  readonly country: string;
}

export interface BuyerPageStrings {
  /** BCP 47 tag for the <html lang> attribute and for Intl. */
  readonly htmlLang: string;
  readonly title: (shopName: string) => string;
  readonly languageName: string;
  /** Under the store's name in the header. */
  readonly headerVia: string;
  readonly switchToLabel: string;
  readonly payAtShop: (shopName: string) => string;
  readonly amountLabel: string;

  readonly phoneHeading: string;
  readonly phoneWhy: string;
  readonly phoneCountryLabel: string;
  readonly phoneLabel: string;
  readonly phoneHint: string;
  readonly phoneSubmit: string;
  readonly phoneProblems: PhoneProblemStrings;
  readonly formExpired: string;
  readonly countryNames: Readonly<Record<PhoneCountryCode, string>>;

  readonly issuingHeading: string;
  readonly issuingText: string;
  readonly issuingRefresh: string;
  /** PagoEfectivo's answer to the CIP creation was lost: the code may have been e-mailed (DOC §5.1.2). */
  readonly unconfirmedHeading: string;
  readonly unconfirmedText: string;

  readonly cipHeading: string;
  readonly copy: string;
  readonly copied: string;
  readonly expiresLabel: string;
  readonly limaTime: string;
  readonly countdownLabel: string;
  readonly countdownExpired: string;
  readonly continueButton: string;
  readonly continueExplanation: string;
  readonly liveStatusNote: string;
  readonly qrCaption: string;
  readonly voucherLink: string;
  readonly newTab: string;
  readonly howToPayHeading: string;
  readonly channels: readonly PaymentChannelStrings[];
  /** Points to the voucher, which lists every place to pay (PagoEfectivo's own, kept current). */
  readonly moreChannels: string;
  readonly chooseOtherMethod: string;

  readonly saveHeading: string;
  readonly share: string;
  readonly shareText: (cip: string, amount: string, shopName: string, expiry: string | null) => string;
  readonly addToCalendar: string;
  readonly calendarSummary: (cip: string, shopName: string) => string;
  readonly calendarDescription: (cip: string, amount: string) => string;

  readonly paidHeading: string;
  readonly paidText: (amount: string, shopName: string) => string;
  readonly paidAmountLabel: string;
  readonly paidAtLabel: string;
  readonly paidContinue: (shopName: string) => string;
  readonly cipReference: string;
  readonly notFoundTitle: string;
  readonly notFoundHeading: string;
  readonly notFoundText: string;
  readonly notFoundHelp: string;
  readonly expiredHeading: string;
  readonly expiredText: string;
  readonly rejectedHeading: string;
  readonly rejectedText: string;
  readonly cancelledHeading: string;
  readonly cancelledText: string;
}

const es: BuyerPageStrings = {
  htmlLang: "es-PE",
  title: (shopName) => `Paga con PagoEfectivo · ${shopName}`,
  languageName: "Español",
  headerVia: "Pago con PagoEfectivo",
  switchToLabel: "Cambiar idioma",
  payAtShop: (shopName) => `Tu pedido en ${shopName}`,
  amountLabel: "Total a pagar",

  phoneHeading: "Tu número de celular",
  phoneWhy: "PagoEfectivo lo pide para generar tu código de pago (CIP).",
  phoneCountryLabel: "Código de país",
  phoneLabel: "Celular",
  phoneHint: "9 dígitos, empieza con 9. Puedes escribirlo con espacios: 987 654 321",
  phoneSubmit: "Generar código de pago",
  phoneProblems: {
    empty: "Escribe tu número de celular.",
    characters: "Usa solo números; puedes separarlos con espacios o guiones.",
    peru_start: "Un celular peruano empieza con 9. Revisa el primer dígito.",
    peru_length: "Escribiste {n} dígitos; un celular peruano tiene 9.",
    other_length: "Escribiste {n} dígitos; un número de teléfono tiene entre 6 y 15.",
    country: "Elige el código de país de la lista.",
  },
  formExpired: "El formulario venció. Inténtalo de nuevo.",
  countryNames: {
    "+51": "Perú",
    "+1": "EE. UU. / Canadá",
    "+54": "Argentina",
    "+55": "Brasil",
    "+56": "Chile",
    "+57": "Colombia",
    "+58": "Venezuela",
    "+591": "Bolivia",
    "+593": "Ecuador",
    "+34": "España",
  },

  issuingHeading: "Generando tu código...",
  issuingText: "Esto toma unos segundos. La página se actualizará sola.",
  issuingRefresh: "Actualizar",
  unconfirmedHeading: "Revisa tu correo",
  unconfirmedText:
    "PagoEfectivo no nos confirmó tu código de pago. Si recibiste un correo de PagoEfectivo con un código (CIP), págalo y confirmaremos tu pedido automáticamente.",

  cipHeading: "Tu código de pago (CIP)",
  copy: "Copiar",
  copied: "¡Copiado!",
  expiresLabel: "Vence el",
  limaTime: "hora de Lima",
  countdownLabel: "Tiempo restante",
  countdownExpired: "El código venció",
  continueButton: "Volver a la tienda",
  continueExplanation: "Tu pedido queda registrado y se confirma cuando pagues el código.",
  liveStatusNote: "Si dejas esta página abierta, se actualizará sola cuando recibamos tu pago.",
  qrCaption: "Este QR contiene solo los dígitos de tu CIP: escanéalo con la cámara de otro celular para llevarte el código.",
  voucherLink: "Ver el comprobante en PagoEfectivo",
  newTab: "se abre en otra pestaña",
  howToPayHeading: "Cómo pagar",
  channels: [
    {
      id: "bank",
      title: "Banca móvil o por internet",
      where: "BCP, BBVA, Interbank, Scotiabank, BanBif, Caja Arequipa",
      steps: ["En el pago de servicios de tu banco, elige «PagoEfectivo».", "Ingresa tu CIP y paga el monto."],
    },
    {
      id: "agents",
      title: "Agentes y bodegas",
      where: "Agentes BCP, BBVA, Interbank, Kasnet, Western Union y Tambo",
      steps: ["Di que pagarás a «PagoEfectivo».", "Da tu CIP y paga el monto."],
    },
  ],
  moreChannels: "El comprobante de PagoEfectivo lista todos los lugares donde puedes pagar.",
  chooseOtherMethod: "Elegir otro medio de pago",

  saveHeading: "Guarda tu código",
  share: "Compartir",
  shareText: (cip, amount, shopName, expiry) =>
    `Mi código de pago PagoEfectivo (CIP) para ${shopName}: ${cip}. Monto: ${amount}.${expiry ? ` Vence el ${expiry} (hora de Lima).` : ""}`,
  addToCalendar: "Agregar el vencimiento a mi calendario",
  calendarSummary: (cip, shopName) => `Pagar el CIP ${cip} (${shopName})`,
  calendarDescription: (cip, amount) => `Paga ${amount} con el código PagoEfectivo ${cip} antes de que venza.`,

  paidHeading: "¡Pago recibido!",
  paidText: (amount, shopName) => `Recibimos tu pago de ${amount}. ${shopName} ya tiene tu pedido como pagado.`,
  paidAmountLabel: "Monto pagado",
  paidAtLabel: "Fecha del pago",
  paidContinue: (shopName) => `Ver mi pedido en ${shopName}`,
  cipReference: "Código de pago",
  notFoundTitle: "Pago no encontrado",
  notFoundHeading: "No encontramos este pago",
  notFoundText: "El enlace está incompleto o ya no es válido.",
  notFoundHelp: "Ábrelo otra vez desde el correo o la página de la tienda, copiándolo entero. Si el problema sigue, vuelve a la tienda y haz tu pedido otra vez.",
  expiredHeading: "El código venció",
  expiredText: "Este código ya no se puede pagar. Vuelve a la tienda para hacer tu pedido otra vez.",
  rejectedHeading: "No pudimos procesar tu pago",
  rejectedText: "No se pudo generar tu código de pago. Vuelve a la tienda e inténtalo de nuevo.",
  cancelledHeading: "Pago cancelado",
  cancelledText: "Este código de pago fue anulado y ya no se puede pagar.",
};

const en: BuyerPageStrings = {
  htmlLang: "en",
  title: (shopName) => `Pay with PagoEfectivo · ${shopName}`,
  languageName: "English",
  headerVia: "Payment with PagoEfectivo",
  switchToLabel: "Change language",
  payAtShop: (shopName) => `Your order at ${shopName}`,
  amountLabel: "Total to pay",

  phoneHeading: "Your mobile number",
  phoneWhy: "PagoEfectivo needs it to issue your payment code (CIP).",
  phoneCountryLabel: "Country code",
  phoneLabel: "Mobile",
  phoneHint: "9 digits, starting with 9. Spaces are fine: 987 654 321",
  phoneSubmit: "Get payment code",
  phoneProblems: {
    empty: "Enter your mobile number.",
    characters: "Use digits only; you may separate them with spaces or dashes.",
    peru_start: "A Peruvian mobile number starts with 9. Check the first digit.",
    peru_length: "You typed {n} digits; a Peruvian mobile number has 9.",
    other_length: "You typed {n} digits; a phone number has 6 to 15.",
    country: "Choose the country code from the list.",
  },
  formExpired: "The form expired. Please try again.",
  countryNames: {
    "+51": "Peru",
    "+1": "USA / Canada",
    "+54": "Argentina",
    "+55": "Brazil",
    "+56": "Chile",
    "+57": "Colombia",
    "+58": "Venezuela",
    "+591": "Bolivia",
    "+593": "Ecuador",
    "+34": "Spain",
  },

  issuingHeading: "Generating your code...",
  issuingText: "This takes a few seconds. The page will refresh by itself.",
  issuingRefresh: "Refresh",
  unconfirmedHeading: "Check your e-mail",
  unconfirmedText:
    "PagoEfectivo did not confirm your payment code to us. If you received an e-mail from PagoEfectivo with a code (CIP), pay it and we will confirm your order automatically.",

  cipHeading: "Your payment code (CIP)",
  copy: "Copy",
  copied: "Copied!",
  expiresLabel: "Expires",
  limaTime: "Lima time",
  countdownLabel: "Time left",
  countdownExpired: "The code has expired",
  continueButton: "Return to the store",
  continueExplanation: "Your order is placed now and confirmed once you pay the code.",
  liveStatusNote: "If you keep this page open, it updates by itself once we receive your payment.",
  qrCaption: "This QR holds only the digits of your CIP: scan it with another phone's camera to take the code with you.",
  voucherLink: "View the voucher at PagoEfectivo",
  newTab: "opens in a new tab",
  howToPayHeading: "How to pay",
  channels: [
    {
      id: "bank",
      title: "Mobile or online banking",
      where: "BCP, BBVA, Interbank, Scotiabank, BanBif, Caja Arequipa",
      steps: ["In your bank's bill payments, choose “PagoEfectivo”.", "Enter your CIP and pay the amount."],
    },
    {
      id: "agents",
      title: "Agents and corner shops",
      where: "BCP, BBVA, Interbank, Kasnet, Western Union and Tambo agents",
      steps: ["Say you are paying “PagoEfectivo”.", "Give your CIP and pay the amount."],
    },
  ],
  moreChannels: "PagoEfectivo's voucher lists every place where you can pay.",
  chooseOtherMethod: "Choose another payment method",

  saveHeading: "Keep your code",
  share: "Share",
  shareText: (cip, amount, shopName, expiry) =>
    `My PagoEfectivo payment code (CIP) for ${shopName}: ${cip}. Amount: ${amount}.${expiry ? ` Expires ${expiry} (Lima time).` : ""}`,
  addToCalendar: "Add the expiry to my calendar",
  calendarSummary: (cip, shopName) => `Pay CIP ${cip} (${shopName})`,
  calendarDescription: (cip, amount) => `Pay ${amount} with PagoEfectivo code ${cip} before it expires.`,

  paidHeading: "Payment received!",
  paidText: (amount, shopName) => `We received your payment of ${amount}. ${shopName} now has your order as paid.`,
  paidAmountLabel: "Amount paid",
  paidAtLabel: "Paid on",
  paidContinue: (shopName) => `View my order at ${shopName}`,
  cipReference: "Payment code",
  notFoundTitle: "Payment not found",
  notFoundHeading: "We could not find this payment",
  notFoundText: "The link is incomplete or no longer valid.",
  notFoundHelp: "Open it again from the e-mail or the store's page, copying all of it. If that does not help, return to the store and place your order again.",
  expiredHeading: "The code has expired",
  expiredText: "This code can no longer be paid. Return to the store to place your order again.",
  rejectedHeading: "We could not process your payment",
  rejectedText: "Your payment code could not be issued. Return to the store and try again.",
  cancelledHeading: "Payment cancelled",
  cancelledText: "This payment code was cancelled and can no longer be paid.",
};

export const BUYER_PAGE_STRINGS: Readonly<Record<BuyerLocale, BuyerPageStrings>> = { es, en };

export function isBuyerLocale(value: unknown): value is BuyerLocale {
  return typeof value === "string" && (BUYER_LOCALES as readonly string[]).includes(value);
}
