// The map pane's list of devices it cannot place (no coordinates of their
// own or their site's). Collapsible, so a long list does not eat the map:
// a <details> whose open state is the user's (the template never binds it,
// so a redraw keeps it). Each entry opens the device page.
import type { Device, DeviceLive } from "./generated/bindings";
import { html, nothing, type TemplateResult } from "./html";
import { deviceHash } from "./devicehtml";

export function notOnMapList(devices: readonly Device[], live: ReadonlyMap<string, DeviceLive>): TemplateResult | typeof nothing {
  if (devices.length === 0) return nothing;
  const items = [...devices]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => {
      const state = live.get(d.id)?.state ?? "unknown";
      return html`<li><a href=${deviceHash(d.id)}><span class="dot st-${state}" aria-label=${state}></span>${d.name}</a> <code>${d.address}</code></li>`;
    });
  return html`<details class="unlocated-list" open>
    <summary>Not on the map (${devices.length})</summary>
    <ul>${items}</ul>
  </details>`;
}
