/** A buyer's phone as PagoEfectivo takes it: a country code and the national number. */
// The dialing codes of the countries Peruvian shops sell to most; anything else needs a leading +.
const COUNTRY_DIALING_CODES: Record<string, string> = {
  PE: "+51",
  US: "+1",
  CA: "+1",
  CL: "+56",
  CO: "+57",
  EC: "+593",
  BO: "+591",
  AR: "+54",
  BR: "+55",
  MX: "+52",
  ES: "+34",
  VE: "+58",
};

export interface BuyerPhone {
  countryCode: string;
  number: string;
}

/**
 * PagoEfectivo needs the phone split into a country code (+51) and at most 15 digits. Shopify
 * sends whatever the buyer typed: "+51 987 654 321", "987654321", "0051987654321".
 */
export function normalizePhone(raw: string | null | undefined, countryCode?: string | null): BuyerPhone | null {
  if (!raw) return null;
  let digits = raw.replace(/[^\d+]/g, "");
  if (digits.startsWith("00")) digits = `+${digits.slice(2)}`;
  if (digits.startsWith("+51") && digits.length === 12) return { countryCode: "+51", number: digits.slice(3) };
  if (/^51\d{9}$/.test(digits)) return { countryCode: "+51", number: digits.slice(2) };
  if (digits.startsWith("+")) {
    const known = Object.values(COUNTRY_DIALING_CODES).sort((a, b) => b.length - a.length);
    const code = known.find((c) => digits.startsWith(c));
    const rest = code ? digits.slice(code.length) : "";
    if (code && /^\d{6,15}$/.test(rest)) return { countryCode: code, number: rest };
    return null;
  }
  if (!/^\d{6,15}$/.test(digits)) return null;
  const code = COUNTRY_DIALING_CODES[(countryCode ?? "PE").toUpperCase()] ?? "+51";
  return { countryCode: code, number: digits };
}

/** A buyer-entered Peruvian mobile: 9 digits starting with 9. */
export function parsePeruvianMobile(raw: string): BuyerPhone | null {
  const phone = normalizePhone(raw, "PE");
  if (!phone || phone.countryCode !== "+51" || !/^9\d{8}$/.test(phone.number)) return null;
  return phone;
}
