// Draws links.ts segments as thin polylines on a canvas of their own, below
// the devices' canvas: repainting links never repaints markers or countries.
// Like the markers, lines are kept by key and only changed ones are touched.
// The whole layer is an overlay the map's layers control turns on and off.
import L from "leaflet";
import type { DeviceId, DeviceState } from "./generated/bindings";
import type { Anchor, BBox } from "./cluster";
import type { LinkTone, MapLink, Segment } from "./links";
import { linkSegments, segmentInView } from "./links";
import { html, toElement } from "./html";

const TONE_STYLE: Readonly<Record<LinkTone, L.PolylineOptions>> = {
  up: { color: "#4a5a70", weight: 1.5, opacity: 0.75, dashArray: "" },
  other: { color: "#8a8f98", weight: 1.5, opacity: 0.75, dashArray: "" },
  down: { color: "#d93030", weight: 2, opacity: 0.9, dashArray: "6 5" },
};

interface DrawnLine {
  readonly line: L.Polyline;
  sig: string;
}

/** Leaflet sets tooltip strings as HTML; an element with text keeps device and port names text. One line per link. */
function tooltip(title: string): HTMLElement {
  return toElement(html`<div class="link-tooltip">${title}</div>`);
}

export class LinkLayer {
  /** Added to the map by the layers control (or by `show`). */
  readonly group: L.LayerGroup;
  private readonly renderer: L.Canvas;
  private readonly drawn = new Map<string, DrawnLine>();
  private on = true;

  /** Adds the layer and its on/off control to `map`; `toggled` runs when the user flips it. */
  constructor(map: L.Map, toggled: () => void) {
    const pane = map.createPane("links");
    pane.style.zIndex = "440"; // over the countries (overlay pane, 400), under the devices (450)
    this.renderer = L.canvas({ pane: "links", padding: 0.25 });
    this.group = L.layerGroup().addTo(map);
    L.control.layers(undefined, { "Topology links": this.group }, { collapsed: false }).addTo(map);
    const flip = (e: L.LayersControlEvent): void => {
      if (e.layer !== this.group) return;
      this.on = e.type === "overlayadd";
      toggled();
    };
    map.on("overlayadd", flip);
    map.on("overlayremove", flip);
  }

  /** Redraws the links in `view`; nothing is computed while the layer is off. */
  update(
    links: readonly MapLink[],
    anchorOf: (id: DeviceId) => Anchor | undefined,
    stateOf: (id: DeviceId) => DeviceState | undefined,
    view: BBox,
  ): void {
    if (!this.on || links.length === 0) {
      this.clear();
      return;
    }
    this.draw(linkSegments(links, anchorOf, stateOf).filter((s) => segmentInView(s, view)));
  }

  /** Brings the drawn lines in line with `segments` (already culled to the view). */
  draw(segments: readonly Segment[]): void {
    const keep = new Set<string>();
    for (const s of segments) {
      keep.add(s.key);
      const sig = `${s.tone}|${s.count}|${s.from.join(",")}|${s.to.join(",")}|${s.title}`;
      const d = this.drawn.get(s.key);
      const points: L.LatLngExpression[] = [
        [s.from[0], s.from[1]],
        [s.to[0], s.to[1]],
      ];
      if (d === undefined) {
        const line = L.polyline(points, { ...TONE_STYLE[s.tone], renderer: this.renderer, interactive: true });
        line.bindTooltip(tooltip(s.title), { sticky: true });
        line.addTo(this.group);
        this.drawn.set(s.key, { line, sig });
      } else if (d.sig !== sig) {
        d.line.setLatLngs(points);
        d.line.setStyle(TONE_STYLE[s.tone]);
        d.line.setTooltipContent(tooltip(s.title));
        d.sig = sig;
      }
    }
    for (const [key, d] of this.drawn) {
      if (keep.has(key)) continue;
      this.group.removeLayer(d.line);
      this.drawn.delete(key);
    }
  }

  clear(): void {
    this.draw([]);
  }

  get count(): number {
    return this.drawn.size;
  }
}
