// Console columns sized to their content. Rows are drawn by a virtual list,
// each row its own grid, so the browser cannot size a column across rows the
// way a table does; instead the widths of the content-sized columns come from
// the shown alarms (longest device name, longest severity word) and reach the
// grid as CSS variables (CSSOM, not style attributes: the CSP forbids those).
// The problem column takes the rest. Widths are in `ch`, with room for bold.
import type { Alarm, DeviceId } from "./generated/bindings";

export interface ColumnWidths {
  /** Severity word plus its colour square. */
  readonly sev: number;
  /** Device name (or managed object). */
  readonly who: number;
}

export const WHO_MIN_CH = 6;
/** Past this a name is truncated with an ellipsis (full name in the tooltip) so the problem keeps room. */
export const WHO_MAX_CH = 32;

/**
 * Letters average a little under `ch` (the width of "0") in the system sans
 * fonts, bold ones a little more: measured in WebKit with DejaVu Sans, bold
 * "critical" is 7 ch and "e2e-r1" 6 ch. One ch of slack for the ellipsis.
 */
const widthCh = (length: number, perChar: number): number => Math.ceil(length * perChar) + 1;

export function columnWidths(alarms: readonly Alarm[], deviceName: (id: DeviceId) => string | undefined): ColumnWidths {
  let sev = "major".length;
  let who = 0;
  for (const a of alarms) {
    sev = Math.max(sev, a.perceivedSeverity.length);
    const name = (a.deviceId === null ? undefined : deviceName(a.deviceId)) ?? a.managedObject;
    who = Math.max(who, name.length);
  }
  return {
    // + 2 ch for the colour square before the word.
    sev: widthCh(sev, 0.85) + 2,
    who: Math.min(WHO_MAX_CH, Math.max(WHO_MIN_CH, widthCh(who, 0.95))),
  };
}

/** Applies the widths to the element whose subtree holds the header and the rows. */
export function applyColumnWidths(host: HTMLElement, w: ColumnWidths): void {
  host.style.setProperty("--col-sev", `${w.sev}ch`);
  host.style.setProperty("--col-who", `${w.who}ch`);
}
