//! The MIB modules shipped in the repository's `mibs/` (see its README for
//! where each came from and its licence), built into the binary so names
//! work without an installed copy. The packages also install the files as
//! `/usr/share/meridian/mibs/` for other tools.

/// `(file name, module text)`, loaded in this order before any user directory.
/// `mibs/RFC-1212.txt` is installed for net-snmp but not loaded here: it
/// imports DisplayString from RFC1158-MIB, which is not shipped, and the
/// parser embeds its own RFC-1212 (the OBJECT-TYPE macro of SMIv1).
pub const SHIPPED: &[(&str, &str)] = &[
    ("RFC1155-SMI.txt", include_str!("../../../../mibs/RFC1155-SMI.txt")),
    ("SNMPv2-SMI.txt", include_str!("../../../../mibs/SNMPv2-SMI.txt")),
    ("SNMPv2-TC.txt", include_str!("../../../../mibs/SNMPv2-TC.txt")),
    ("SNMPv2-CONF.txt", include_str!("../../../../mibs/SNMPv2-CONF.txt")),
    ("SNMPv2-MIB.txt", include_str!("../../../../mibs/SNMPv2-MIB.txt")),
    ("IANAifType-MIB.txt", include_str!("../../../../mibs/IANAifType-MIB.txt")),
    ("IF-MIB.txt", include_str!("../../../../mibs/IF-MIB.txt")),
    ("RFC1213-MIB.txt", include_str!("../../../../mibs/RFC1213-MIB.txt")),
    ("MERIDIAN-ALARM-MIB.txt", include_str!("../../../../mibs/MERIDIAN-ALARM-MIB.txt")),
];
