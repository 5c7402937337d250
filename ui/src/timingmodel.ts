// The Timing screen's pure parts: the PTP tree as indented rows, role
// names, and a wander report as log-log plot data (the measured MTIE or
// TDEV and each mask's curve on one tau axis). Tested without a DOM;
// timingview.ts draws them.
import type { MaskCurve, MaskVerdict, PtpTree, PtpTreeNode, TimingRole, WanderMetric, WanderReport } from "./generated/bindings";
import { formatSeconds } from "./format";

/** Every role, in the order a picker lists them. */
export const ROLES: readonly TimingRole[] = [
  "grandmaster",
  "boundary-clock",
  "transparent-clock",
  "ptp-client",
  "ntp-server",
  "gnss-receiver",
  "ssu-bits",
];

const ROLE_LABELS: Record<TimingRole, string> = {
  grandmaster: "Grandmaster",
  "boundary-clock": "Boundary clock",
  "transparent-clock": "Transparent clock",
  "ptp-client": "PTP client",
  "ntp-server": "NTP server",
  "gnss-receiver": "GNSS receiver",
  "ssu-bits": "SSU/BITS",
};

export function roleLabel(role: TimingRole | null): string {
  return role === null ? "—" : ROLE_LABELS[role];
}

/** One line of the tree: a clock at its depth under the grandmaster. */
export interface TreeRow {
  node: PtpTreeNode;
  depth: number;
  /** "grandmaster" at a root that answered as its own master, else the role or what its place says. */
  place: string;
}

/**
 * Depth-first rows: each root (a grandmaster, or a parent no watched device
 * answered as), then the clocks that follow it, indented. A clock with no
 * role is named by its place: a root is the grandmaster, a clock with
 * children a boundary clock, a leaf a client.
 */
export function treeRows(tree: PtpTree): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (node: PtpTreeNode, depth: number): void => {
    const place =
      node.role !== null
        ? roleLabel(node.role)
        : depth === 0
          ? node.seen
            ? "Grandmaster"
            : "Grandmaster (not watched)"
          : node.children.length > 0
            ? "Boundary clock"
            : "Client";
    out.push({ node, depth, place });
    for (const c of node.children) walk(c, depth + 1);
  };
  for (const r of tree.roots) walk(r, 0);
  return out;
}

/** A log-log plot: x = tau (s), the measured curve, then each mask's limit; `null` where a line has no point. */
export interface WanderPlot {
  metric: WanderMetric;
  labels: string[];
  data: [number[], ...(number | null)[][]];
}

/** The measured `metric` and every mask curve of that metric on one ascending tau axis. */
export function wanderPlot(r: WanderReport, metric: "mtie" | "tdev"): WanderPlot {
  const measured = metric === "mtie" ? r.mtie : r.tdev;
  const curves: MaskCurve[] = r.curves.filter((c) => c.metric === metric);
  const taus = new Set<number>(measured.map((p) => p.tau));
  for (const c of curves) for (const p of c.points) taus.add(p.tau);
  const x = [...taus].filter((t) => t > 0).sort((a, b) => a - b);
  const column = (pts: { tau: number; value: number }[]): (number | null)[] => {
    const by = new Map(pts.map((p) => [p.tau, p.value]));
    // Log axes cannot show zero or negatives: such a point is a gap.
    return x.map((t) => {
      const v = by.get(t);
      return v !== undefined && v > 0 ? v : null;
    });
  };
  return {
    metric,
    labels: [metric.toUpperCase(), ...curves.map((c) => `${c.mask} limit`)],
    data: [x, column(measured), ...curves.map((c) => column(c.points))],
  };
}

/** "MTIE fails g8261-eec1-network from tau 1 s (1 µs > 250 ns)" or "TDEV passes g8262-eec1 (worst margin 40 % at 8 s)". */
export function verdictText(v: MaskVerdict): string {
  const metric = v.metric.toUpperCase();
  const first = v.points.find((p) => !p.pass);
  if (first !== undefined) {
    return `${metric} fails ${v.mask} from tau ${formatSeconds(first.tau)} (${formatSeconds(first.value)} > ${formatSeconds(first.limit)})`;
  }
  if (v.points.length === 0) return `${metric} not judged against ${v.mask}: no tau of the window is in its range`;
  const margin =
    v.worstMargin !== null && v.worstTau !== null
      ? ` (worst margin ${Math.round(v.worstMargin * 100)} % at ${formatSeconds(v.worstTau)})`
      : "";
  return `${metric} passes ${v.mask}${margin}`;
}

/** The masks of the library as picker choices: one per id, whatever metrics it limits. */
export function maskChoices(masks: readonly { id: string; title: string }[]): { id: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const m of masks) if (!seen.has(m.id)) seen.set(m.id, m.title);
  return [...seen].map(([id, title]) => ({ id, title }));
}
