// The Leaflet side of map labels (labels.ts decides where they go): one
// non-interactive DOM marker per placed label, in its own pane above the
// devices and below popups. Labels are text (lit-html), never markup, and a
// label whose text and place did not change keeps its element.
import L from "leaflet";
import { html, toElement } from "./html";
import type { LabelCandidate, Rect } from "./labels";
import { labelText, placeLabels } from "./labels";

export class MapLabels {
  private readonly drawn = new Map<string, { marker: L.Marker; sig: string }>();

  constructor(private readonly map: L.Map) {
    const pane = map.createPane("labels");
    pane.style.zIndex = "620";
    pane.style.pointerEvents = "none";
  }

  /** Places what fits and removes the rest. Candidates are in container pixels. */
  update(candidates: readonly LabelCandidate[], obstacles: readonly Rect[]): void {
    const size = this.map.getSize();
    const placed = placeLabels(candidates, obstacles, { width: size.x, height: size.y });
    const byKey = new Map(candidates.map((c) => [c.key, c]));
    for (const [key, l] of placed) {
      const c = byKey.get(key);
      if (c === undefined) continue;
      const text = labelText(c.text);
      const at = this.map.containerPointToLatLng([c.x, c.y]);
      const sig = `${text}|${l.side}|${l.width}|${Math.round(c.x)}|${Math.round(c.y)}`;
      const d = this.drawn.get(key);
      if (d !== undefined && d.sig === sig) continue;
      const icon = L.divIcon({
        className: `map-label map-label-${l.side}`,
        html: toElement(html`${text}`, "span"),
        iconSize: [l.width, l.rect.y1 - l.rect.y0],
        // The icon's top-left is the label box's; the anchor is the marker centre within it.
        iconAnchor: [c.x - l.rect.x0, c.y - l.rect.y0],
      });
      if (d === undefined) {
        const m = L.marker(at, { icon, interactive: false, keyboard: false, pane: "labels" }).addTo(this.map);
        this.drawn.set(key, { marker: m, sig });
      } else {
        d.marker.setIcon(icon);
        d.marker.setLatLng(at);
        d.sig = sig;
      }
    }
    for (const [key, d] of this.drawn) {
      if (placed.has(key)) continue;
      d.marker.remove();
      this.drawn.delete(key);
    }
  }

  clear(): void {
    this.update([], []);
  }
}
