/** The list's filters, so "back" from a payment returns to the same filtered page. */

const KEY = "pe-admin-payments-search";

export function rememberPaymentsSearch(search: string): void {
  try {
    window.sessionStorage.setItem(KEY, search);
  } catch {
    // Without storage, back goes to the unfiltered list.
  }
}

export function lastPaymentsSearch(): string {
  try {
    const search = window.sessionStorage.getItem(KEY) ?? "";
    return search.startsWith("?") ? search : "";
  } catch {
    return "";
  }
}
