// Topology links as map segments. Pure (no DOM, no Leaflet), so vitest
// covers the selection and the geometry.
//
// A link is drawn between where its two ends are drawn (cluster.ts anchors):
// a device drawn alone, or the cluster holding it. Links whose ends fall in
// the same cluster are not drawn (the line would have no length). A link
// between two clusters IS drawn, between their centres: at a zoomed-out view
// that is the only way to see how sites hang together, and since every link
// between the same two anchors collapses into one segment, the count of
// lines stays bounded by the pairs of drawn items, not by the link count.
import type { DeviceId, DeviceState, LinkView } from "./generated/bindings";
import type { Anchor, BBox } from "./cluster";

/** up: both ends up; down: either end down; other: unknown or degraded. */
export type LinkTone = "up" | "down" | "other";

export interface Segment {
  /** The two anchor keys, sorted and joined: stable while both ends stay where they are drawn. */
  readonly key: string;
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  readonly tone: LinkTone;
  /** How many links the segment stands for. */
  readonly count: number;
  /** Tooltip text, one line per link: the links' ends and ports (plain text; linklayer.ts shows it as text). */
  readonly title: string;
}

/** The fields of a link this module reads. */
export type MapLink = Pick<LinkView, "localDevice" | "remoteDevice" | "localName" | "remoteName" | "localPort" | "remotePort">;

const TONE_RANK: Readonly<Record<LinkTone, number>> = { down: 0, other: 1, up: 2 };
/** Links listed by name in a tooltip; the rest are counted. */
const TITLE_LINES = 4;

export function linkTone(a: DeviceState | undefined, b: DeviceState | undefined): LinkTone {
  if (a === "down" || b === "down") return "down";
  return a === "up" && b === "up" ? "up" : "other";
}

/** The devices that are an end of some drawable (matched) link. */
export function linkedDevices(links: readonly MapLink[]): Set<DeviceId> {
  const out = new Set<DeviceId>();
  for (const l of links) {
    if (l.remoteDevice === null || l.remoteDevice === l.localDevice) continue;
    out.add(l.localDevice);
    out.add(l.remoteDevice);
  }
  return out;
}

function describe(l: MapLink): string {
  const port = (p: string): string => (p === "" ? "" : ` ${p}`);
  return `${l.localName}${port(l.localPort)} — ${l.remoteName ?? "?"}${port(l.remotePort)}`;
}

interface Acc {
  key: string;
  from: [number, number];
  to: [number, number];
  tone: LinkTone;
  count: number;
  lines: string[];
  /** Ends already counted, so LLDP reporting a link from both sides counts once. */
  seen: Set<string>;
}

/**
 * One segment per pair of anchors with at least one matched link between
 * them. Links to unmanaged neighbours, to devices the map cannot place and
 * within one anchor are left out. A segment's tone is its worst link's.
 */
export function linkSegments(
  links: readonly MapLink[],
  anchorOf: (id: DeviceId) => Anchor | undefined,
  stateOf: (id: DeviceId) => DeviceState | undefined,
): Segment[] {
  const acc = new Map<string, Acc>();
  for (const l of links) {
    const remote = l.remoteDevice;
    if (remote === null || remote === l.localDevice) continue;
    const a = anchorOf(l.localDevice);
    const b = anchorOf(remote);
    if (a === undefined || b === undefined || a.key === b.key) continue;
    const [p, q] = a.key < b.key ? [a, b] : [b, a];
    const key = `${p.key}|${q.key}`;
    let s = acc.get(key);
    if (s === undefined) {
      s = { key, from: [p.lat, p.lon], to: [q.lat, q.lon], tone: "up", count: 0, lines: [], seen: new Set() };
      acc.set(key, s);
    }
    // The same cable seen from each end: one link, named once.
    const ends = [`${l.localDevice}/${l.localPort}`, `${remote}/${l.remotePort}`].sort().join("|");
    if (s.seen.has(ends)) continue;
    s.seen.add(ends);
    s.count += 1;
    if (s.lines.length < TITLE_LINES) s.lines.push(describe(l));
    const tone = linkTone(stateOf(l.localDevice), stateOf(remote));
    if (TONE_RANK[tone] < TONE_RANK[s.tone]) s.tone = tone;
  }
  return [...acc.values()].map((s) => ({
    key: s.key,
    from: s.from,
    to: s.to,
    tone: s.tone,
    count: s.count,
    title:
      (s.count > 1 ? `${s.count} links\n` : "") +
      s.lines.join("\n") +
      (s.count > s.lines.length ? `\nand ${s.count - s.lines.length} more` : ""),
  }));
}

/** Whether the segment's bounding box meets the view (cheap culling before drawing). */
export function segmentInView(s: Segment, view: BBox): boolean {
  const south = Math.min(s.from[0], s.to[0]);
  const north = Math.max(s.from[0], s.to[0]);
  const west = Math.min(s.from[1], s.to[1]);
  const east = Math.max(s.from[1], s.to[1]);
  return north >= view.south && south <= view.north && east >= view.west && west <= view.east;
}
