// The System tab: Meridian's own figures and active self-alarms, refreshed
// every few seconds while the tab is shown (and not at all otherwise).
import { api } from "./api";
import { toApiError } from "./apierror";
import { element } from "./formdom";
import { draw, html } from "./html";
import { selfAlarms, systemRows, tierRows, type SystemRow } from "./system";

const REFRESH_MS = 3000;

function table(rows: SystemRow[], label: string): unknown {
  return html`<table class="system-figures" aria-label=${label}>
    <tbody>
      ${rows.map((r) => html`<tr data-key=${r.key}><th scope="row">${r.label}</th><td>${r.value}</td></tr>`)}
    </tbody>
  </table>`;
}

export class SystemScreen {
  private readonly body = element("system-body");
  private readonly alarms = element("system-alarms");
  private timer: ReturnType<typeof setInterval> | null = null;

  async show(): Promise<void> {
    this.timer ??= setInterval(() => void this.refresh(), REFRESH_MS);
    await this.refresh();
  }

  hide(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    try {
      const s = await api.systemStatus();
      draw(this.body, html`${table(systemRows(s), "Figures")}${table(tierRows(s.tiers), "History tiers")}`);
      const active = selfAlarms(s);
      draw(
        this.alarms,
        active.length === 0
          ? html`<p class="muted">No alarm about Meridian itself.</p>`
          : html`<ul class="system-alarm-list">
              ${active.map((a) => html`<li data-problem=${a.specificProblem}><span class="sev sev-${a.perceivedSeverity}">${a.perceivedSeverity}</span> ${a.specificProblem}: ${a.additionalText}</li>`)}
            </ul>`,
      );
    } catch (e) {
      draw(this.body, html`<p class="form-error" role="alert">${toApiError(e).detail}</p>`);
    }
  }
}
