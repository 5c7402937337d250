// Says when desktop notifications cannot be delivered. The shell logs each
// real attempt (notify-rust's answer) in the delivery log; the service reads
// the newest one. A banner under the header names the reason and opens the
// notification settings; it goes when a later attempt succeeds.
import type { DesktopDelivery } from "./generated/bindings";
import { api } from "./api";
import { formatIsoDateTime } from "./format";
import { draw, html, nothing, type TemplateResult } from "./html";

/** How often the banner asks: deliveries are rare, and the log is one indexed row. */
const POLL_MS = 15_000;

/** The banner's words, or null when there is nothing to say. */
export function deliveryProblem(d: DesktopDelivery): string | null {
  if (!d.failing) return null;
  const reason = (d.reason ?? "").trim();
  const at = d.at === null || Number.isNaN(Date.parse(d.at)) ? "" : ` (last tried ${formatIsoDateTime(new Date(d.at))})`;
  return `Desktop notifications cannot be delivered${reason === "" ? "" : `: ${reason}`}${at}.`;
}

export function deliveryBanner(d: DesktopDelivery): TemplateResult | typeof nothing {
  const text = deliveryProblem(d);
  if (text === null) return nothing;
  return html`<span class="notify-banner-text">${text}</span>
    <button type="button" class="small" data-action="notification-settings">Notification settings</button>`;
}

export function setupNotifyHealth(el: HTMLElement, openSettings: () => void): void {
  el.addEventListener("click", (e) => {
    if (e.target instanceof Element && e.target.closest("button[data-action=notification-settings]")) openSettings();
  });
  const check = async (): Promise<void> => {
    try {
      const d = await api.desktopDelivery();
      draw(el, deliveryBanner(d));
      el.hidden = !d.failing;
    } catch {
      // The store is busy or gone: keep what is shown; the next check decides.
    }
  };
  void check();
  window.setInterval(() => void check(), POLL_MS);
}
