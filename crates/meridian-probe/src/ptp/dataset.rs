//! The data fields of the management TLVs Meridian reads (IEEE 1588 15.5.3
//! and LinuxPTP's `*_NP` extensions), decoded into `meridian_core::ptp`.

use meridian_core::ptp::{
    time_interval_ns, ClockQuality, CurrentDataSet, DefaultDataSet, ParentDataSet, PortDataSet, PortState, PortStatsNp,
    TimeStatusNp,
};

use super::error::PtpDecodeError;
use super::wire::Reader;

/// managementId values (15.5.2.3, Table 40, and LinuxPTP's tlv.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ManagementId {
    NullManagement,
    DefaultDataSet,
    CurrentDataSet,
    ParentDataSet,
    PortDataSet,
    Priority1,
    Priority2,
    TimeStatusNp,
    SubscribeEventsNp,
    PortStatsNp,
}

impl ManagementId {
    pub const fn code(self) -> u16 {
        match self {
            Self::NullManagement => 0x0000,
            Self::DefaultDataSet => 0x2000,
            Self::CurrentDataSet => 0x2001,
            Self::ParentDataSet => 0x2002,
            Self::PortDataSet => 0x2004,
            Self::Priority1 => 0x2005,
            Self::Priority2 => 0x2006,
            Self::TimeStatusNp => 0xc000,
            Self::SubscribeEventsNp => 0xc003,
            Self::PortStatsNp => 0xc005,
        }
    }

    pub fn from_code(code: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub const ALL: [Self; 10] = [
        Self::NullManagement,
        Self::DefaultDataSet,
        Self::CurrentDataSet,
        Self::ParentDataSet,
        Self::PortDataSet,
        Self::Priority1,
        Self::Priority2,
        Self::TimeStatusNp,
        Self::SubscribeEventsNp,
        Self::PortStatsNp,
    ];

    /// The data field's size (before padding). `pmc` sends a GET with a
    /// zeroed data field of this size (except for PORT_STATS_NP, which it
    /// sends empty), and so do we: some ptp4l versions check it.
    pub const fn data_len(self) -> usize {
        match self {
            Self::NullManagement => 0,
            Self::DefaultDataSet => 20,
            Self::CurrentDataSet => 18,
            Self::ParentDataSet => 32,
            Self::PortDataSet => 26,
            Self::Priority1 | Self::Priority2 => 2,
            Self::TimeStatusNp => 50,
            Self::SubscribeEventsNp => 2 + EVENT_BITMASK_LEN,
            Self::PortStatsNp => 10 + 16 * 8 * 2,
        }
    }

    /// The data field of a GET for this id, as `pmc` builds it.
    pub fn get_data(self) -> Vec<u8> {
        match self {
            Self::PortStatsNp => Vec::new(),
            other => vec![0; other.data_len()],
        }
    }
}

/// LinuxPTP's event bitmask size (EVENT_BITMASK_CNT in notification.h).
pub const EVENT_BITMASK_LEN: usize = 64;
/// Bit numbers in the SUBSCRIBE_EVENTS_NP bitmask.
pub const NOTIFY_PORT_STATE: usize = 0;
pub const NOTIFY_TIME_SYNC: usize = 1;

/// A decoded data field.
#[derive(Debug, Clone, PartialEq)]
pub enum Dataset {
    Null,
    DefaultDataSet(DefaultDataSet),
    CurrentDataSet(CurrentDataSet),
    ParentDataSet(ParentDataSet),
    PortDataSet(PortDataSet),
    Priority1(u8),
    Priority2(u8),
    TimeStatusNp(TimeStatusNp),
    SubscribeEventsNp {
        duration_s: u16,
        bitmask: Vec<u8>,
    },
    PortStatsNp(Box<PortStatsNp>),
    /// A managementId Meridian does not read; kept so the caller can say which.
    Other {
        id: u16,
        data: Vec<u8>,
    },
}

impl Dataset {
    /// Decodes `data` as managementId `id`'s data field. A field shorter than
    /// the data set is an error; extra bytes (padding, fields added by a newer
    /// version) are ignored.
    pub fn decode(id: u16, data: &[u8]) -> Result<Self, PtpDecodeError> {
        let Some(mid) = ManagementId::from_code(id) else {
            return Ok(Self::Other { id, data: data.to_vec() });
        };
        let need = mid.data_len();
        if data.len() < need {
            return Err(PtpDecodeError::DatasetLength { id, need, got: data.len() });
        }
        let mut r = Reader::new(data);
        Ok(match mid {
            ManagementId::NullManagement => Self::Null,
            ManagementId::DefaultDataSet => Self::DefaultDataSet(default_ds(&mut r)?),
            ManagementId::CurrentDataSet => Self::CurrentDataSet(CurrentDataSet {
                steps_removed: r.u16("stepsRemoved")?,
                offset_from_master_ns: time_interval_ns(r.i64("offsetFromMaster")?),
                mean_path_delay_ns: time_interval_ns(r.i64("meanPathDelay")?),
            }),
            ManagementId::ParentDataSet => Self::ParentDataSet(parent_ds(&mut r)?),
            ManagementId::PortDataSet => Self::PortDataSet(port_ds(&mut r)?),
            ManagementId::Priority1 => Self::Priority1(r.u8("priority1")?),
            ManagementId::Priority2 => Self::Priority2(r.u8("priority2")?),
            ManagementId::TimeStatusNp => Self::TimeStatusNp(time_status(&mut r)?),
            ManagementId::SubscribeEventsNp => Self::SubscribeEventsNp {
                duration_s: r.u16("duration")?,
                bitmask: r.take(EVENT_BITMASK_LEN, "bitmask")?.to_vec(),
            },
            ManagementId::PortStatsNp => Self::PortStatsNp(Box::new(port_stats(&mut r)?)),
        })
    }
}

/// A data set type and the managementId that reads it.
pub trait FromDataset: Sized + Send {
    const ID: ManagementId;
    /// The value, or the data set back when it is another kind.
    fn from_dataset(ds: Dataset) -> Result<Self, Dataset>;
}

macro_rules! from_dataset {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl FromDataset for $ty {
            const ID: ManagementId = ManagementId::$variant;
            fn from_dataset(ds: Dataset) -> Result<Self, Dataset> {
                match ds {
                    Dataset::$variant(v) => Ok(v),
                    other => Err(other),
                }
            }
        }
    )*};
}

// The variant names equal the ManagementId names.
from_dataset! {
    DefaultDataSet => DefaultDataSet,
    CurrentDataSet => CurrentDataSet,
    ParentDataSet => ParentDataSet,
    PortDataSet => PortDataSet,
    TimeStatusNp => TimeStatusNp,
    Box<PortStatsNp> => PortStatsNp,
}

fn quality(r: &mut Reader<'_>, field: &'static str) -> Result<ClockQuality, PtpDecodeError> {
    Ok(ClockQuality { class: r.u8(field)?, accuracy: r.u8(field)?, offset_scaled_log_variance: r.u16(field)? })
}

fn default_ds(r: &mut Reader<'_>) -> Result<DefaultDataSet, PtpDecodeError> {
    let flags = r.u8("flags")?;
    r.skip(1, "reserved")?;
    Ok(DefaultDataSet {
        two_step: flags & 1 != 0,
        slave_only: flags & 2 != 0,
        number_ports: r.u16("numberPorts")?,
        priority1: r.u8("priority1")?,
        quality: quality(r, "clockQuality")?,
        priority2: r.u8("priority2")?,
        clock_identity: r.clock("clockIdentity")?,
        domain: r.u8("domainNumber")?,
    })
}

fn parent_ds(r: &mut Reader<'_>) -> Result<ParentDataSet, PtpDecodeError> {
    let parent_port = r.port("parentPortIdentity")?;
    let parent_stats = r.u8("PS")? & 1 != 0;
    r.skip(1, "reserved")?;
    Ok(ParentDataSet {
        parent_port,
        parent_stats,
        observed_parent_offset_scaled_log_variance: r.u16("observedParentOffsetScaledLogVariance")?,
        observed_parent_clock_phase_change_rate: r.i32("observedParentClockPhaseChangeRate")?,
        grandmaster_priority1: r.u8("grandmasterPriority1")?,
        grandmaster_quality: quality(r, "grandmasterClockQuality")?,
        grandmaster_priority2: r.u8("grandmasterPriority2")?,
        grandmaster_identity: r.clock("grandmasterIdentity")?,
    })
}

fn port_ds(r: &mut Reader<'_>) -> Result<PortDataSet, PtpDecodeError> {
    Ok(PortDataSet {
        port: r.port("portIdentity")?,
        state: PortState::from_u8(r.u8("portState")?),
        log_min_delay_req_interval: r.i8("logMinDelayReqInterval")?,
        peer_mean_path_delay_ns: time_interval_ns(r.i64("peerMeanPathDelay")?),
        log_announce_interval: r.i8("logAnnounceInterval")?,
        announce_receipt_timeout: r.u8("announceReceiptTimeout")?,
        log_sync_interval: r.i8("logSyncInterval")?,
        delay_mechanism: r.u8("delayMechanism")?,
        log_min_pdelay_req_interval: r.i8("logMinPdelayReqInterval")?,
        version: r.u8("versionNumber")? & 0x0f,
    })
}

fn time_status(r: &mut Reader<'_>) -> Result<TimeStatusNp, PtpDecodeError> {
    Ok(TimeStatusNp {
        master_offset_ns: r.i64("master_offset")?,
        ingress_time_ns: r.i64("ingress_time")?,
        cumulative_scaled_rate_offset: r.i32("cumulativeScaledRateOffset")?,
        scaled_last_gm_phase_change: r.i32("scaledLastGmPhaseChange")?,
        gm_time_base_indicator: r.u16("gmTimeBaseIndicator")?,
        last_gm_phase_change: (r.u16("lastGmPhaseChange")?, r.u64("lastGmPhaseChange")?, r.u16("lastGmPhaseChange")?),
        gm_present: r.i32("gmPresent")? != 0,
        gm_identity: r.clock("gmIdentity")?,
    })
}

/// LinuxPTP sends these counters little-endian (msg.c converts them with
/// `__le64_to_cpu`), unlike every other field.
fn port_stats(r: &mut Reader<'_>) -> Result<PortStatsNp, PtpDecodeError> {
    let port = r.port("portIdentity")?;
    let mut rx = [0u64; 16];
    let mut tx = [0u64; 16];
    for v in &mut rx {
        *v = u64::from_le_bytes(r.array("rxMsgType")?);
    }
    for v in &mut tx {
        *v = u64::from_le_bytes(r.array("txMsgType")?);
    }
    Ok(PortStatsNp { port, rx, tx })
}

/// The data field of a SUBSCRIBE_EVENTS_NP SET: port-state (and optionally
/// time-sync) notifications for `duration_s` seconds.
pub fn subscribe_events_data(duration_s: u16, time_sync: bool) -> Vec<u8> {
    let mut out = duration_s.to_be_bytes().to_vec();
    let mut mask = [0u8; EVENT_BITMASK_LEN];
    mask[NOTIFY_PORT_STATE / 8] |= 1 << (NOTIFY_PORT_STATE % 8);
    if time_sync {
        mask[NOTIFY_TIME_SYNC / 8] |= 1 << (NOTIFY_TIME_SYNC % 8);
    }
    out.extend_from_slice(&mask);
    out
}
