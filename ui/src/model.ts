// The UI's model of the service and the reducer that applies CoreEvents to it.
// Mutable maps on purpose: with 100,000 alarms, copying on every event would
// cost more than rendering. The reducer says what changed so the view redraws
// only that.
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
  /** Device state or placement changed (markers). */
  devices: boolean;
  /** Devices or sites were edited elsewhere: fetch them again (the event carries only the id). */
  reloadInventory: boolean;
}

export const NO_CHANGES: Readonly<Changes> = { alarms: false, devices: false, reloadInventory: false };

export function mergeChanges(a: Changes, b: Changes): Changes {
  return {
    alarms: a.alarms || b.alarms,
    devices: a.devices || b.devices,
    reloadInventory: a.reloadInventory || b.reloadInventory,
  };
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
      if (known !== undefined && known.version > ev.alarm.version) return { ...NO_CHANGES };
      putAlarm(model, ev.alarm);
      return { alarms: true, devices: ev.alarm.deviceId !== null, reloadInventory: false };
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
      });
      return { alarms: false, devices: true, reloadInventory: false };
    }
    case "inventoryChanged": {
      if (ev.entity === "device" && ev.action === "removed") {
        model.devices.delete(ev.id);
        model.live.delete(ev.id);
      } else if (ev.entity === "site" && ev.action === "removed") {
        model.sites.delete(ev.id);
      }
      const relevant = ev.entity === "device" || ev.entity === "site";
      return { alarms: false, devices: relevant, reloadInventory: relevant };
    }
    default:
      // Event kinds this view does not draw (discovery progress) change nothing here.
      return { ...NO_CHANGES };
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
