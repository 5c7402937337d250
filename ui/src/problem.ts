// The one place that turns an alarm's X.733 fields into plain words. The
// console row, the drawer and the search all read the problem through here,
// so "icmpNoReply" never reaches an operator as the headline. The codes stay
// visible in the drawer (eventType / probableCause / specificProblem), because
// traps and other NMSes speak them. Anything not in the tables (a trap's
// cause, a rule) falls back to a readable form of its code, as Rust's
// `alarm_words::humanize` does for notifications.
import type { Alarm, EventType } from "./generated/bindings";
import { CAUSE_WORDS, FLAPPING_PREFIX, PROBLEM_WORDS } from "./generated/bindings";

// The tables are Rust's (meridian-core alarm_words), generated into the
// bindings: notifications and the console name an alarm the same way.
const PROBLEMS = PROBLEM_WORDS;
const CAUSES = CAUSE_WORDS;

const EVENT_TYPES: Readonly<Record<EventType, string>> = {
  communications: "Communications",
  quality_of_service: "Quality of service",
  processing_error: "Processing error",
  equipment: "Equipment",
  environmental: "Environmental",
};

/** "lossOfSignal" → "Loss of signal"; "device unreachable" → "Device unreachable". */
export function humanize(code: string): string {
  const spaced = code
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/\s+/g, " ")
    .trim();
  if (spaced === "") return "";
  // Keep acronyms (SNMP, CPU) as written; lower-case the other words after the first.
  const words = spaced.split(" ").map((w, i) => (i === 0 || /^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase()));
  const first = words[0] ?? "";
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(" ");
}

export type ProblemFields = Pick<Alarm, "eventType" | "probableCause" | "specificProblem">;

/** The headline an operator reads: the specific problem when we know it, else the cause, in words. */
export function problemText(a: ProblemFields): string {
  // A flapping alarm names its condition: "Flapping: Interface down" (as alarm_words.rs does).
  if (a.specificProblem.startsWith(FLAPPING_PREFIX)) {
    return `Flapping: ${problemText({ ...a, specificProblem: a.specificProblem.slice(FLAPPING_PREFIX.length) })}`;
  }
  const known = PROBLEMS[a.specificProblem] ?? CAUSES[a.probableCause];
  if (known !== undefined) return known;
  if (a.specificProblem.trim() !== "") return humanize(a.specificProblem);
  if (a.probableCause.trim() !== "") return humanize(a.probableCause);
  return eventTypeText(a.eventType);
}

/** The probable cause in words ("Loss of signal"); the code itself is shown beside it in the drawer. */
export function causeText(cause: string): string {
  return CAUSES[cause] ?? humanize(cause);
}

export function eventTypeText(t: EventType): string {
  return EVENT_TYPES[t];
}

/** The X.733 triple as codes, for the drawer and for copy-paste: "communications / lossOfSignal / linkDown". */
export function x733Code(a: ProblemFields): string {
  return [a.eventType, a.probableCause, a.specificProblem].filter((s) => s !== "").join(" / ");
}
