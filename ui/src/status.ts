// Device state and alarm severity to colours and marker styles. Colours are
// fixed (not CSS variables) because Leaflet's canvas renderer paints them.
import type { DeviceState, Severity } from "./generated/bindings";
import { severityRank } from "./alarms";

export type MarkerColour = "green" | "amber" | "red" | "grey";

export const STATE_COLOUR_NAME: Readonly<Record<DeviceState, MarkerColour>> = {
  up: "green",
  degraded: "amber",
  down: "red",
  unknown: "grey",
};

export const COLOUR_HEX: Readonly<Record<MarkerColour, string>> = {
  green: "#2e9e4f",
  amber: "#e8a317",
  red: "#d93030",
  grey: "#8a8f98",
};

export const SEVERITY_HEX: Readonly<Record<Severity, string>> = {
  critical: "#b3124a",
  major: "#d93030",
  minor: "#e8a317",
  warning: "#d6c21b",
  indeterminate: "#7a8290",
  cleared: "#2e9e4f",
};

export function stateColour(state: DeviceState | undefined): MarkerColour {
  return STATE_COLOUR_NAME[state ?? "unknown"];
}

export interface MarkerStyle {
  readonly colourName: MarkerColour;
  readonly fillColor: string;
  /** The ring: the worst active alarm's colour, or a neutral outline. */
  readonly color: string;
  readonly weight: number;
  readonly radius: number;
  readonly fillOpacity: number;
  /** Showing the last known state from before a restart: faded, dashed ring. */
  readonly stale: boolean;
  /** Canvas dash pattern of the ring (Leaflet's canvas renderer); empty draws it solid. */
  readonly dashArray: number[];
}

/**
 * The fill says the state; the ring says the worst active alarm. A device that
 * answers pings but has a major alarm (e.g. SNMP silent) is green with a red ring.
 * Alarmed markers are drawn bigger so they stand out in a crowd.
 */
export function markerStyle(state: DeviceState | undefined, worst: Severity | undefined, stale = false): MarkerStyle {
  const colourName = stateColour(state);
  const alarmed = worst !== undefined && worst !== "cleared";
  const serious = alarmed && severityRank(worst) <= severityRank("major");
  return {
    colourName,
    fillColor: COLOUR_HEX[colourName],
    color: alarmed ? SEVERITY_HEX[worst] : "#1b2230",
    weight: alarmed ? 3 : 1,
    radius: serious ? 9 : 7,
    fillOpacity: stale ? 0.35 : 0.9,
    stale,
    dashArray: stale ? [2, 3] : [],
  };
}
