// The UI's model of the service and the reducer that applies CoreEvents to it.
// Mutable maps on purpose: with 100,000 alarms, copying on every event would
// cost more than rendering. The reducer says what changed so the view redraws
// only that: a state change touches one marker, not all of them.
import type { Alarm, AlarmId, CoreEvent, Device, DeviceId, DeviceLive, Site, SiteId } from "./generated/bindings";
import { isActive } from "./alarms";

export interface Model {
  devices: Map<DeviceId, Device>;
  sites: Map<SiteId, Site>;
  live: Map<DeviceId, DeviceLive>;
  /** Active (uncleared) alarms only. */
  alarms: Map<AlarmId, Alarm>;
}

export function emptyModel(): Model {
  return { devices: new Map(), sites: new Map(), live: new Map(), alarms: new Map() };
}

export function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((x) => [x.id, x]));
}

export function liveById(items: readonly DeviceLive[]): Map<DeviceId, DeviceLive> {
  return new Map(items.map((x) => [x.deviceId, x]));
}

export interface Changes {
  /** The alarm list (console, header counts, marker rings) changed. */
  alarms: boolean;
  /** Devices or sites changed (added, removed, moved): markers, table and side list resync in full. */
  devices: boolean;
  /** Devices whose state or alarms changed: only their markers and rows are touched. */
  touched: ReadonlySet<DeviceId>;
  /** Devices or sites were edited elsewhere: fetch them again (the event carries only the id). */
  reloadInventory: boolean;
}

const NOTHING: ReadonlySet<DeviceId> = new Set();

export const NO_CHANGES: Readonly<Changes> = { alarms: false, devices: false, touched: NOTHING, reloadInventory: false };

/** Changes being accumulated (the set is the batch's own, so it grows in place). */
export type PendingChanges = Changes & { touched: Set<DeviceId> };

export function noChanges(): PendingChanges {
  return { alarms: false, devices: false, touched: new Set(), reloadInventory: false };
}

/** A pure union of two changes. */
export function mergeChanges(a: Changes, b: Changes): Changes {
  return {
    alarms: a.alarms || b.alarms,
    devices: a.devices || b.devices,
    touched: new Set([...a.touched, ...b.touched]),
    reloadInventory: a.reloadInventory || b.reloadInventory,
  };
}

/** Folds `c` into `into` in place (the per-frame accumulator: no copying per event). */
export function mergeInto(into: PendingChanges, c: Changes): void {
  into.alarms ||= c.alarms;
  into.devices ||= c.devices;
  into.reloadInventory ||= c.reloadInventory;
  for (const id of c.touched) into.touched.add(id);
}

/** What one device_live poll changed, against the model's previous values. */
export interface LiveDiff {
  /** The new values, by device. */
  live: Map<DeviceId, DeviceLive>;
  /** The state (marker colour) or its staleness differs, including devices that appeared or vanished. */
  states: Set<DeviceId>;
  /** Only RTT, loss, last seen or last poll differ: nothing is redrawn but an open popup. */
  details: Set<DeviceId>;
}

export function diffLive(prev: ReadonlyMap<DeviceId, DeviceLive>, next: readonly DeviceLive[]): LiveDiff {
  const live = liveById(next);
  const states = new Set<DeviceId>();
  const details = new Set<DeviceId>();
  for (const n of next) {
    const p = prev.get(n.deviceId);
    if (p === undefined || p.state !== n.state || p.stale !== n.stale) states.add(n.deviceId);
    else if (
      p.rttMs !== n.rttMs ||
      p.lossPct !== n.lossPct ||
      p.lastSeen !== n.lastSeen ||
      p.lastPoll !== n.lastPoll ||
      p.uptimeAt !== n.uptimeAt
    )
      details.add(n.deviceId);
  }
  for (const id of prev.keys()) if (!live.has(id)) states.add(id);
  return { live, states, details };
}

function putAlarm(model: Model, alarm: Alarm): void {
  if (isActive(alarm)) model.alarms.set(alarm.id, alarm);
  else model.alarms.delete(alarm.id);
}

/** Applies one event in place and says what changed. */
export function applyEvent(model: Model, ev: CoreEvent): Changes {
  switch (ev.type) {
    case "alarmRaised":
    case "alarmAcknowledged":
    case "alarmCleared": {
      const known = model.alarms.get(ev.alarm.id);
      // Events can arrive after a fresher list load; never go back a version.
      if (known !== undefined && known.version > ev.alarm.version) return noChanges();
      putAlarm(model, ev.alarm);
      const touched = ev.alarm.deviceId === null ? new Set<DeviceId>() : new Set([ev.alarm.deviceId]);
      return { alarms: true, devices: false, touched, reloadInventory: false };
    }
    case "deviceStateChanged": {
      const prev = model.live.get(ev.deviceId);
      model.live.set(ev.deviceId, {
        deviceId: ev.deviceId,
        state: ev.to,
        rttMs: ev.to === "down" ? null : (prev?.rttMs ?? null),
        lossPct: ev.to === "down" ? 100 : (prev?.lossPct ?? null),
        lastSeen: prev?.lastSeen ?? null,
        lastPoll: ev.at,
        // A state change is a poll's finding: no longer the stale one from before the start.
        stale: false,
        since: null,
        // The agent's uptime is its own, not the state's: kept until the next poll of it.
        ...(prev?.uptimeSecs === undefined ? {} : { uptimeSecs: prev.uptimeSecs }),
        ...(prev?.uptimeAt === undefined ? {} : { uptimeAt: prev.uptimeAt }),
      });
      return { alarms: false, devices: false, touched: new Set([ev.deviceId]), reloadInventory: false };
    }
    case "inventoryChanged": {
      if (ev.entity === "device" && ev.action === "removed") {
        model.devices.delete(ev.id);
        model.live.delete(ev.id);
      } else if (ev.entity === "site" && ev.action === "removed") {
        model.sites.delete(ev.id);
      }
      const relevant = ev.entity === "device" || ev.entity === "site";
      return { alarms: false, devices: relevant, touched: new Set(), reloadInventory: relevant };
    }
    default:
      // Event kinds this view does not draw (e.g. newer service events) change nothing here.
      return noChanges();
  }
}

/** A device's map position: its own override, else its site's, else none. */
export function deviceLocation(d: Device, sites: ReadonlyMap<SiteId, Site>): [number, number] | null {
  const own = latLon(d.lat, d.lon);
  if (own !== null) return own;
  const site = d.siteId === null ? undefined : sites.get(d.siteId);
  return site === undefined ? null : latLon(site.lat, site.lon);
}

function latLon(lat: number | null, lon: number | null): [number, number] | null {
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return [lat, lon];
}
