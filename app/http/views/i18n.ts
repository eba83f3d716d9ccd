/** The languages the buyer page speaks: Spanish (Peru) by default, English on request. */
export const BUYER_LOCALES = ["es", "en"] as const;
export type BuyerLocale = (typeof BUYER_LOCALES)[number];

/** Calling codes offered next to the phone field; +51 (Peru) first and preselected. */
export const PHONE_COUNTRY_CODES = ["+51", "+1", "+54", "+55", "+56", "+57", "+58", "+591", "+593", "+34"] as const;
export type PhoneCountryCode = (typeof PHONE_COUNTRY_CODES)[number];

export interface PaymentChannelStrings {
  readonly id: "bank" | "agents" | "wallets";
  readonly title: string;
  /** Who takes the payment on this channel, shown as one short line. */
  readonly where: string;
  readonly steps: readonly string[];
}

export interface BuyerPageStrings {
  /** BCP 47 tag for the <html lang> attribute and for Intl. */
  readonly htmlLang: string;
  readonly title: (shopName: string) => string;
  readonly languageName: string;
  readonly switchToLabel: string;
  readonly payAtShop: (shopName: string) => string;
  readonly amountLabel: string;

  readonly phoneHeading: string;
  readonly phoneWhy: string;
  readonly phoneCountryLabel: string;
  readonly phoneLabel: string;
  readonly phoneHint: string;
  readonly phoneSubmit: string;
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
  readonly qrCaption: string;
  readonly voucherLink: string;
  readonly newTab: string;
  readonly howToPayHeading: string;
  readonly channels: readonly PaymentChannelStrings[];
  readonly chooseOtherMethod: string;

  readonly paidHeading: string;
  readonly paidText: (amount: string, shopName: string) => string;
  readonly cipReference: string;
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
  switchToLabel: "Cambiar idioma",
  payAtShop: (shopName) => `Tu pedido en ${shopName}`,
  amountLabel: "Total a pagar",

  phoneHeading: "Tu número de celular",
  phoneWhy: "PagoEfectivo lo pide para generar tu código de pago (CIP).",
  phoneCountryLabel: "Código de país",
  phoneLabel: "Celular",
  phoneHint: "9 dígitos, empieza con 9. Ejemplo: 987654321",
  phoneSubmit: "Generar código de pago",
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
  qrCaption: "Código QR de tu CIP",
  voucherLink: "Ver el comprobante en PagoEfectivo",
  newTab: "se abre en otra pestaña",
  howToPayHeading: "Cómo pagar",
  channels: [
    {
      id: "bank",
      title: "Banca móvil / internet",
      where: "BCP, BBVA, Interbank, Scotiabank, BanBif, Caja Arequipa",
      steps: ["Entra a «Pagar servicios».", "Elige «PagoEfectivo».", "Ingresa tu CIP y paga."],
    },
    {
      id: "agents",
      title: "Agentes y bodegas",
      where: "Agentes BCP, BBVA, Interbank, Kasnet, Western Union, Tambo+ y bodegas",
      steps: ["Di «Pago a PagoEfectivo».", "Da tu CIP y paga el monto."],
    },
    {
      id: "wallets",
      title: "Billeteras",
      where: "Yape, Plin",
      steps: ["Escanea el código QR o busca «PagoEfectivo».", "Ingresa tu CIP y paga."],
    },
  ],
  chooseOtherMethod: "Elegir otro medio de pago",

  paidHeading: "¡Pago recibido!",
  paidText: (amount, shopName) => `Recibimos tu pago de ${amount}. ${shopName} confirmará tu pedido.`,
  cipReference: "Código de pago",
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
  switchToLabel: "Change language",
  payAtShop: (shopName) => `Your order at ${shopName}`,
  amountLabel: "Total to pay",

  phoneHeading: "Your mobile number",
  phoneWhy: "PagoEfectivo needs it to issue your payment code (CIP).",
  phoneCountryLabel: "Country code",
  phoneLabel: "Mobile",
  phoneHint: "9 digits, starting with 9. Example: 987654321",
  phoneSubmit: "Get payment code",
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
  qrCaption: "QR code of your CIP",
  voucherLink: "View the voucher at PagoEfectivo",
  newTab: "opens in a new tab",
  howToPayHeading: "How to pay",
  channels: [
    {
      id: "bank",
      title: "Mobile / online banking",
      where: "BCP, BBVA, Interbank, Scotiabank, BanBif, Caja Arequipa",
      steps: ["Go to “Pagar servicios” (Pay services).", "Choose “PagoEfectivo”.", "Enter your CIP and pay."],
    },
    {
      id: "agents",
      title: "Agents and corner shops",
      where: "BCP, BBVA, Interbank, Kasnet, Western Union and Tambo+ agents, and bodegas",
      steps: ["Say “Pago a PagoEfectivo”.", "Give your CIP and pay the amount."],
    },
    {
      id: "wallets",
      title: "Wallets",
      where: "Yape, Plin",
      steps: ["Scan the QR code or search for “PagoEfectivo”.", "Enter your CIP and pay."],
    },
  ],
  chooseOtherMethod: "Choose another payment method",

  paidHeading: "Payment received!",
  paidText: (amount, shopName) => `We received your payment of ${amount}. ${shopName} will confirm your order.`,
  cipReference: "Payment code",
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
