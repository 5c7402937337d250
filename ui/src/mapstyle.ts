// How devices and clusters look on the maps (world map and floor plans):
// signatures that tell whether a drawn item must change, and the cluster
// bubbles. Marker colours themselves come from status.ts.
import L from "leaflet";
import type { DeviceState, Severity } from "./generated/bindings";
import type { ClusterItem } from "./cluster";
import { clusterLabel } from "./cluster";
import type { MarkerStyle } from "./status";
import { markerStyle } from "./status";

export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === "" ? fallback : v;
}

/** The worst active alarm, as the cluster index and the marker ring see it. */
export function activeSeverity(s: Severity | undefined): Severity | undefined {
  return s === "cleared" ? undefined : s;
}

/** A device's marker style from its state and worst alarm (cleared alarms do not count). */
export function deviceStyle(state: DeviceState | undefined, worst: Severity | undefined): MarkerStyle {
  return markerStyle(state, activeSeverity(worst));
}

export function styleSig(s: MarkerStyle): string {
  return `${s.fillColor}|${s.color}|${s.weight}|${s.radius}|${s.stale}`;
}

export function clusterSig(c: ClusterItem): string {
  return `${c.count}|${c.colour}|${c.severity ?? ""}|${c.lat}|${c.lon}`;
}

/** A cluster bubble's diameter in pixels: grows with the count's digits. */
export function clusterSize(count: number): number {
  return count < 10 ? 28 : count < 100 ? 34 : count < 1000 ? 40 : 46;
}

export function clusterIcon(c: ClusterItem): L.DivIcon {
  const size = clusterSize(c.count);
  const ring = c.severity === undefined ? "" : ` ring-${c.severity}`;
  return L.divIcon({
    className: `cluster cluster-${c.colour}${ring}`,
    html: `<span>${clusterLabel(c.count)}</span>`,
    iconSize: [size, size],
  });
}

export function clusterTitle(c: ClusterItem): string {
  const n = c.colours;
  return (
    `${c.count} devices: ${n.red} down, ${n.amber} degraded, ${n.grey} unknown, ${n.green} up` +
    (c.severity === undefined ? "" : `; worst alarm ${c.severity}`)
  );
}
