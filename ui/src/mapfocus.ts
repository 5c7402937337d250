// "Show on map" from anywhere (the alarm drawer today): switch to the map and
// bring one device's marker into view. The map module owns Leaflet, so it
// registers how to focus (`setMapFocus`, wired in main.ts) and callers only
// name the device; until something registers, focusing does nothing and says so.
import type { DeviceId } from "./generated/bindings";

export type MapFocus = (id: DeviceId) => boolean;

let focuser: MapFocus | null = null;

export function setMapFocus(f: MapFocus): void {
  focuser = f;
}

/** Shows the map and focuses `id`'s marker; false when the device cannot be placed (or no map is wired). */
export function focusDevice(id: DeviceId): boolean {
  return focuser === null ? false : focuser(id);
}
