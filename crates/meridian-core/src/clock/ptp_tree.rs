//! The PTP hierarchy from what each clock reports as its parent port
//! (PARENT_DATA_SET): grandmasters at the roots, boundary clocks under
//! them, their clients below. A parent no poll answered for still appears,
//! marked unseen, so a client of an unmonitored boundary clock is not lost.

use std::collections::{BTreeMap, BTreeSet};

use crate::ptp::ClockIdentity;

/// One polled clock: its identity and the clock its port follows (`None`
/// for a grandmaster, or a clock whose parent is itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockLink {
    pub clock: ClockIdentity,
    pub parent: Option<ClockIdentity>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub clock: ClockIdentity,
    /// False for a parent that was named by a child but never polled.
    pub seen: bool,
    pub children: Vec<TreeNode>,
}

/// Builds the forest. Children are ordered by identity, so the result is
/// stable between polls. A loop of parents (a misconfigured network, or
/// readings taken mid-change) is cut where it closes: the clock that would
/// repeat becomes a root.
pub fn ptp_tree(links: &[ClockLink]) -> Vec<TreeNode> {
    let seen: BTreeSet<ClockIdentity> = links.iter().map(|l| l.clock).collect();
    let mut children: BTreeMap<ClockIdentity, BTreeSet<ClockIdentity>> = BTreeMap::new();
    let mut parent_of: BTreeMap<ClockIdentity, ClockIdentity> = BTreeMap::new();
    for l in links {
        if let Some(p) = l.parent.filter(|p| *p != l.clock && !p.is_zero()) {
            children.entry(p).or_default().insert(l.clock);
            parent_of.insert(l.clock, p);
        }
    }
    // Roots: seen clocks without a parent, and parents nobody polled.
    let mut roots: BTreeSet<ClockIdentity> = seen.iter().filter(|c| !parent_of.contains_key(c)).copied().collect();
    roots.extend(children.keys().filter(|p| !seen.contains(p)));
    let mut placed = BTreeSet::new();
    let mut out: Vec<TreeNode> = roots.iter().map(|r| build(*r, &seen, &children, &mut placed)).collect();
    // Whatever a loop kept out of every tree: cut the loop at its smallest clock.
    for c in &seen {
        if !placed.contains(c) {
            out.push(build(*c, &seen, &children, &mut placed));
        }
    }
    out
}

fn build(
    clock: ClockIdentity,
    seen: &BTreeSet<ClockIdentity>,
    children: &BTreeMap<ClockIdentity, BTreeSet<ClockIdentity>>,
    placed: &mut BTreeSet<ClockIdentity>,
) -> TreeNode {
    placed.insert(clock);
    let mut node = TreeNode { clock, seen: seen.contains(&clock), children: Vec::new() };
    for c in children.get(&clock).into_iter().flatten() {
        if !placed.contains(c) {
            node.children.push(build(*c, seen, children, placed));
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ClockIdentity {
        ClockIdentity([n; 8])
    }

    fn link(c: u8, p: Option<u8>) -> ClockLink {
        ClockLink { clock: id(c), parent: p.map(id) }
    }

    fn shape(n: &TreeNode) -> String {
        let kids: Vec<String> = n.children.iter().map(shape).collect();
        let me = format!("{}{}", n.clock.0[0], if n.seen { "" } else { "?" });
        if kids.is_empty() {
            me
        } else {
            format!("{me}({})", kids.join(","))
        }
    }

    fn forest(links: &[ClockLink]) -> Vec<String> {
        ptp_tree(links).iter().map(shape).collect()
    }

    #[test]
    fn grandmaster_boundary_clock_and_clients() {
        let links = [link(3, Some(2)), link(1, None), link(2, Some(1)), link(4, Some(2)), link(5, Some(1))];
        assert_eq!(forest(&links), ["1(2(3,4),5)"]);
    }

    #[test]
    fn an_unpolled_parent_is_kept_and_marked() {
        assert_eq!(forest(&[link(1, None), link(7, Some(9)), link(8, Some(9))]), ["1", "9?(7,8)"]);
    }

    #[test]
    fn self_parent_and_zero_parent_mean_root() {
        let links = [ClockLink { clock: id(1), parent: Some(id(1)) }, ClockLink { clock: id(2), parent: Some(id(0)) }];
        assert_eq!(forest(&links), ["1", "2"]);
    }

    #[test]
    fn a_parent_loop_is_cut_not_followed_forever() {
        let links = [link(1, Some(2)), link(2, Some(3)), link(3, Some(1)), link(4, None)];
        let f = forest(&links);
        assert_eq!(f, ["4", "1(3(2))"]);
        // Every clock appears exactly once.
        let count: usize =
            ptp_tree(&links).iter().map(|n| shape(n).matches(|c: char| c.is_ascii_digit()).count()).sum();
        assert_eq!(count, 4);
    }
}
