// The opt-in tile server (the `mapTiles` setting): what the map draws for
// it and what the settings form sends. The rules for a URL are the
// service's (meridian-core `maptiles`); the UI shows its field errors.
import type { MapTiles } from "./generated/bindings";

/**
 * The deepest zoom while a tile server is set. The offline basemap stops at
 * MAP_MAX_ZOOM (map.ts); tile servers commonly draw to 19 (OpenStreetMap's
 * standard layer does), so street level becomes reachable.
 */
export const TILE_MAX_ZOOM = 19;

export interface TileLayerSpec {
  readonly url: string;
  readonly attribution: string;
  readonly maxZoom: number;
}

/** What the map draws for a setting: null for the offline basemap only. */
export function tileLayerSpec(s: MapTiles | null): TileLayerSpec | null {
  const url = s?.url.trim() ?? "";
  if (url === "") return null;
  // Leaflet writes attributions as HTML. The service refuses '<' and '>',
  // so this never drops a stored one; it keeps markup out regardless.
  const text = s?.attribution.trim() ?? "";
  return { url, attribution: /[<>]/.test(text) ? "" : text, maxZoom: TILE_MAX_ZOOM };
}

export interface TilesFormValues {
  url: string;
  attribution: string;
}

/** The setting a form sends, blanks trimmed (the service trims too). */
export function tilesFromForm(v: TilesFormValues): MapTiles {
  return { url: v.url.trim(), attribution: v.attribution.trim() };
}

/** The line beside the form: what the map uses now. */
export function tilesStatus(s: MapTiles): string {
  const host = /^https?:\/\/([^/?#]+)/i.exec(s.url.trim())?.[1];
  return host === undefined ? "now: the offline basemap only" : `now: tiles from ${host} over the offline basemap`;
}

/** The order field errors are focused in. */
export const TILES_FIELDS = ["url", "attribution"] as const;
