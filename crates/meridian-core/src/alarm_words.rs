//! An alarm's X.733 codes in the words an operator reads: "No reply to
//! ping", not `icmpNoReply`. One table for every front end: notifications use
//! it here, and the UI gets the same tables generated into its bindings
//! (`meridian-service::bindings`), so the console and a notification never
//! name one alarm two ways. The codes themselves stay visible in the alarm's
//! detail, because traps and other NMSes speak them.

use crate::alarm::{cause, problem};
use crate::clock::problem as clock;
use crate::fault::FLAPPING_PREFIX;

/// Meridian's own specific problems: each identifies its alarm exactly.
pub const PROBLEMS: [(&str, &str); 14] = [
    (problem::ICMP_NO_REPLY, "No reply to ping"),
    (problem::SNMP_NO_RESPONSE, "SNMP agent not responding"),
    (problem::LINK_DOWN, "Interface down"),
    (problem::SYS_UPTIME_RESET, "Rebooted"),
    (problem::NEIGHBOUR_LINK_DOWN, "Link down"),
    (clock::PTP_LOSS_OF_SYNC, "PTP: not synchronised to a grandmaster"),
    (clock::PTP_OFFSET_EXCEEDED, "PTP: offset from master too large"),
    (clock::PTP_GM_HOLDOVER, "PTP: grandmaster in holdover"),
    (clock::PTP_GM_DEGRADED, "PTP: grandmaster out of holdover specification"),
    (clock::PTP_UNREACHABLE, "PTP clock not answering management"),
    (clock::NTP_UNREACHABLE, "NTP server unreachable"),
    (clock::NTP_UNSYNCHRONISED, "NTP server not synchronised"),
    (clock::NTP_OFFSET_EXCEEDED, "NTP: offset too large"),
    (clock::NTP_LEAP_ANNOUNCED, "NTP: leap second announced"),
];

/// X.721 / M.3100 probable causes: Meridian's own and those traps often carry.
pub const CAUSES: [(&str, &str); 12] = [
    (cause::COMMUNICATIONS_SUBSYSTEM_FAILURE, "Communication failure"),
    (cause::APPLICATION_SUBSYSTEM_FAILURE, "Application failure"),
    (cause::LOSS_OF_SIGNAL, "Loss of signal"),
    (cause::REINITIALIZED, "Restarted"),
    (crate::fault::LINK_FAILURE, "Link failure"),
    ("powerProblem", "Power problem"),
    ("temperatureUnacceptable", "Temperature out of range"),
    (cause::THRESHOLD_CROSSED, "Threshold crossed"),
    ("equipmentMalfunction", "Equipment malfunction"),
    ("softwareError", "Software error"),
    ("outOfMemory", "Out of memory"),
    ("cpuCyclesLimitExceeded", "CPU overloaded"),
];

fn lookup(table: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
}

/// The headline: "Flapping: " and the condition's headline for a flapping
/// alarm; the specific problem when it is one of ours, else the
/// cause in words, else the code made readable ("lossOfSignal" -> "Loss of
/// signal").
pub fn problem_text(probable_cause: &str, specific_problem: &str) -> String {
    if let Some(own) = specific_problem.strip_prefix(FLAPPING_PREFIX) {
        return format!("Flapping: {}", problem_text(probable_cause, own));
    }
    if let Some(w) = lookup(&PROBLEMS, specific_problem).or_else(|| lookup(&CAUSES, probable_cause)) {
        return w.to_owned();
    }
    let code = if specific_problem.trim().is_empty() { probable_cause } else { specific_problem };
    humanize(code)
}

/// "lossOfSignal" -> "Loss of signal", "rule:42" -> "Rule:42"; acronyms
/// (SNMP, CPU) keep their capitals.
pub fn humanize(code: &str) -> String {
    let mut spaced = String::with_capacity(code.len() + 8);
    let mut prev: Option<char> = None;
    for c in code.chars() {
        let c = if c == '_' || c == '-' { ' ' } else { c };
        if c.is_uppercase() && prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) {
            spaced.push(' ');
        }
        spaced.push(c);
        prev = Some(c);
    }
    let words: Vec<String> = spaced
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            let acronym = w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            if i == 0 || acronym {
                let mut cs = w.chars();
                cs.next().map(|f| f.to_uppercase().chain(cs).collect()).unwrap_or_default()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_problems_and_known_causes_read_as_words() {
        assert_eq!(problem_text("communicationsSubsystemFailure", "icmpNoReply"), "No reply to ping");
        assert_eq!(problem_text("applicationSubsystemFailure", "snmpNoResponse"), "SNMP agent not responding");
        assert_eq!(problem_text("lossOfSignal", "linkDown"), "Interface down");
        assert_eq!(problem_text("reinitialized", "sysUpTimeReset"), "Rebooted");
        assert_eq!(problem_text("powerProblem", "psu2Failed"), "Power problem");
    }

    #[test]
    fn flapping_alarms_name_their_condition() {
        assert_eq!(problem_text(cause::LOSS_OF_SIGNAL, "flapping:linkDown"), "Flapping: Interface down");
        assert_eq!(problem_text(cause::THRESHOLD_CROSSED, "flapping:rule:7"), "Flapping: Threshold crossed");
    }

    #[test]
    fn unknown_codes_are_made_readable() {
        assert_eq!(problem_text("someVendorCause", ""), "Some vendor cause");
        assert_eq!(problem_text("x", "bgpPeerDown"), "Bgp peer down");
        assert_eq!(humanize("SNMP_agent-down"), "SNMP agent down");
        assert_eq!(humanize("cpuCyclesLimitExceeded"), "Cpu cycles limit exceeded");
        assert_eq!(humanize(""), "");
    }
}
