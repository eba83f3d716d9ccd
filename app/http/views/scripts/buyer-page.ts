/**
 * The buyer page's script (browser code, compiled by scripts/build-browser-scripts.mjs and inlined
 * under a CSP hash). It holds no data: everything comes from data-* attributes the server escaped,
 * and it writes only with textContent/attributes, never HTML.
 * - Countdown: counts from the server's "now", not the phone's clock (often wrong), in the same
 *   HH:MM:SS the server printed, so the text does not jump. The page may come from the server's
 *   render cache a few seconds old, so the countdown re-bases on the `now` each status answer carries.
 * - Live status: asks /pay/:token/status once on load, then every few seconds (paused while the tab is
 *   hidden, backing off on errors), and reloads the page when the state changes, so "paid" appears
 *   without a tap.
 * - Copy and share: the clipboard API (selection + execCommand as a fallback), Web Share where the
 *   browser has it. No third-party service.
 * - Phone: accepts spaces, dashes and dots, and says in words what is wrong before submitting.
 */

const POLL_MS = 5_000;
const MAX_POLL_MS = 60_000;

function pad(n: number): string {
  return (n < 10 ? "0" : "") + String(n);
}

/** Starts the countdown; the returned function re-bases it on a newer server time. */
function startCountdown(root: HTMLElement): (serverNow: string) => void {
  const expiresAt = Date.parse(root.dataset.expiresAt ?? "");
  let left = expiresAt - Date.parse(root.dataset.serverNow ?? "");
  if (!Number.isFinite(left)) return () => undefined;
  let startedAt = Date.now();
  let timer = 0;
  const tick = (): void => {
    const ms = left - (Date.now() - startedAt);
    if (!(ms > 0)) {
      root.textContent = root.dataset.expiredText ?? "";
      if (timer) window.clearInterval(timer);
      return;
    }
    const s = Math.floor(ms / 1000);
    root.textContent = `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  };
  timer = window.setInterval(tick, 1000);
  tick();
  return (serverNow) => {
    const now = Date.parse(serverNow);
    if (!Number.isFinite(now) || !timer) return;
    left = expiresAt - now;
    startedAt = Date.now();
    tick();
  };
}

function say(statusId: string | undefined, text: string | undefined): void {
  const status = statusId ? document.getElementById(statusId) : null;
  if (status && text) status.textContent = text;
}

function selectText(node: Node): void {
  const range = document.createRange();
  range.selectNodeContents(node);
  const selection = window.getSelection();
  if (!selection) return;
  selection.removeAllRanges();
  selection.addRange(range);
}

function wireCopy(button: HTMLButtonElement): void {
  const code = document.getElementById(button.dataset.copyTarget ?? "");
  if (!code) return;
  button.hidden = false;
  const done = (): void => say(button.dataset.copyStatus, button.dataset.copiedText);
  const fallback = (): void => {
    selectText(code);
    try {
      if (document.execCommand("copy")) done();
    } catch {
      // The code stays selected: the shopper can copy it by hand.
    }
  };
  button.addEventListener("click", () => {
    const text = code.dataset.value ?? code.textContent ?? "";
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  });
}

function wireShare(button: HTMLButtonElement): void {
  if (typeof navigator.share !== "function") return;
  const data: ShareData = { title: button.dataset.shareTitle ?? "", text: button.dataset.shareText ?? "" };
  if (typeof navigator.canShare === "function" && !navigator.canShare(data)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.share(data).catch(() => {
      // Cancelled by the shopper, or the share target failed: nothing to undo.
    });
  });
}

/** Polls the session's state; any change means the server has a different page to show. */
function followStatus(root: HTMLElement, onServerNow: (now: string) => void): void {
  const url = root.dataset.statusUrl;
  const shown = root.dataset.state;
  if (!url || !shown) return;
  let delay = POLL_MS;
  let timer = 0;
  let inFlight = false;
  const schedule = (): void => {
    window.clearTimeout(timer);
    if (!document.hidden) timer = window.setTimeout(poll, delay);
  };
  const poll = async (): Promise<void> => {
    if (inFlight) return;
    inFlight = true;
    try {
      const response = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store", credentials: "omit" });
      if (!response.ok) throw new Error(String(response.status));
      const body = (await response.json()) as { state?: unknown; now?: unknown };
      if (typeof body.now === "string") onServerNow(body.now);
      if (typeof body.state === "string" && body.state !== shown) {
        window.location.reload();
        return;
      }
      delay = POLL_MS;
    } catch {
      delay = Math.min(delay * 2, MAX_POLL_MS);
    } finally {
      inFlight = false;
    }
    schedule();
  };
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) window.clearTimeout(timer);
    else void poll();
  });
  void poll();
}

/** Digits only, with the separators people type ("987 654 321", "987-654-321") removed. */
function digitsOf(raw: string): string {
  return raw.replace(/[\s\-.()]/g, "");
}

function wirePhone(form: HTMLFormElement): void {
  const country = form.querySelector<HTMLSelectElement>("select");
  const phone = form.querySelector<HTMLInputElement>("input[type=tel]");
  if (!country || !phone) return;
  const message = (key: string): string => form.dataset[key] ?? "";
  const problem = (): string => {
    let digits = digitsOf(phone.value);
    if (digits === "") return message("msgEmpty");
    if (!/^\+?\d+$/.test(digits)) return message("msgChars");
    if (country.value === "+51") {
      digits = digits.replace(/^(\+|00)?51(?=\d{9}$)/, "");
      if (digits.charAt(0) !== "9") return message("msgStart");
      if (digits.length !== 9) return message("msgLength").replace("{n}", String(digits.length));
      return "";
    }
    return /^\d{6,15}$/.test(digits.replace(/^\+/, "")) ? "" : message("msgOther");
  };
  // The sentence also goes under the field (the browser's bubble disappears after a moment).
  const shown = document.getElementById("phone-error");
  const show = (text: string): void => {
    if (!shown) return;
    shown.textContent = text;
    shown.hidden = text === "";
    if (text) phone.setAttribute("aria-invalid", "true");
    else phone.removeAttribute("aria-invalid");
  };
  const check = (): string => {
    const text = problem();
    phone.setCustomValidity(text);
    return text;
  };
  phone.addEventListener("input", () => {
    // Once the number is right, the old complaint goes away; a new one waits for the submit.
    if (check() === "") show("");
  });
  country.addEventListener("change", () => void check());
  form.addEventListener("submit", (event) => {
    const text = check();
    if (text) {
      event.preventDefault();
      show(text);
      phone.focus();
    }
  });
}

const countdown = document.querySelector<HTMLElement>("[data-countdown]");
const rebase = countdown ? startCountdown(countdown) : () => undefined;
const copy = document.querySelector<HTMLButtonElement>("[data-copy-target]");
if (copy) wireCopy(copy);
const share = document.querySelector<HTMLButtonElement>("[data-share]");
if (share) wireShare(share);
const main = document.querySelector<HTMLElement>("[data-status-url]");
if (main) followStatus(main, rebase);
const form = document.querySelector<HTMLFormElement>("[data-phone-form]");
if (form) wirePhone(form);
