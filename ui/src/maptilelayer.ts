// The opt-in tile server's layer on the world map (tiles.ts says what to
// draw). Tiles sit in a pane of their own above the offline countries
// (overlay pane, 400) and below the links (440) and devices (450): where a
// tile does not load (offline, server down) Leaflet leaves it invisible and
// the countries show through, so the map still works without a network.
import L from "leaflet";
import type { TileLayerSpec } from "./tiles";

export class TileOverlay {
  private layer: L.TileLayer | null = null;
  private sig = "";

  constructor(
    private readonly map: L.Map,
    /** The deepest zoom of the offline basemap alone. */
    private readonly offlineMaxZoom: number,
    private readonly bounds: L.LatLngBounds,
  ) {
    this.map.createPane("tiles").style.zIndex = "420";
    this.showMaxZoom();
  }

  /** Draws this tile server (null: none, back to the offline basemap's zoom). */
  set(spec: TileLayerSpec | null): void {
    const sig = spec === null ? "" : `${spec.url}\n${spec.attribution}\n${spec.maxZoom}`;
    if (sig === this.sig) return;
    this.sig = sig;
    this.layer?.remove();
    this.layer = null;
    if (spec !== null) {
      this.layer = L.tileLayer(spec.url, {
        pane: "tiles",
        maxZoom: spec.maxZoom,
        // Plain text (checked by the service and tiles.ts): Leaflet writes it as HTML.
        attribution: spec.attribution,
        bounds: this.bounds,
        noWrap: true,
        // The server needs no page address to serve a tile.
        referrerPolicy: "no-referrer",
      }).addTo(this.map);
    }
    // Past the new maximum Leaflet zooms out by itself.
    this.map.setMaxZoom(spec?.maxZoom ?? this.offlineMaxZoom);
    this.showMaxZoom();
  }

  /** Test hook: the WebDriver scenario reads how deep the map may zoom. */
  private showMaxZoom(): void {
    this.map.getContainer().dataset["maxZoom"] = String(this.map.getMaxZoom());
  }
}
