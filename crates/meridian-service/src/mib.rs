//! MIB modules as the front ends use them: the shipped set plus the user's
//! `mib_dir`, loaded once per process (`App::mibs`) or per diagnostic run
//! (`Mibs::load`), and the lookups of `meridian mib ...`, the desktop's MIB
//! browser, trap decoding, `snmp walk/get` and rules that name an OID.

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use meridian_core::mib_info::{
    MibEnum, MibLoadError, MibModuleInfo, MibObject, MibReport, MibTranslation, MibTreeNode,
};
use meridian_core::FieldError;
use meridian_probe::mib::MibSet;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

/// Search results at most, whatever a caller asks for.
const SEARCH_MAX: usize = 1000;

/// A loaded, immutable MIB set; cheap to clone.
#[derive(Clone)]
pub struct Mibs(Arc<MibSet>);

impl Mibs {
    /// The shipped modules, then every file in `user_dir` (if any). Files
    /// that do not load are listed in [`Mibs::list`], never an error here.
    pub fn load(user_dir: Option<&Path>) -> Self {
        let dirs: Vec<PathBuf> = user_dir.map(Path::to_path_buf).into_iter().collect();
        Self(Arc::new(meridian_probe::mib::load(&dirs)))
    }

    pub fn set(&self) -> &MibSet {
        &self.0
    }

    /// `NAME`, `MODULE::name`, `name.instance` or a numeric OID, both ways.
    pub fn translate(&self, query: &str) -> Result<MibTranslation, ApiError> {
        let oid = self.resolve("query", query)?;
        Ok(MibTranslation { name: self.0.name(&oid), oid })
    }

    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<MibTreeNode>, ApiError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ApiError::field("text", "give some text to search for"));
        }
        Ok(self.0.search(text, limit.clamp(1, SEARCH_MAX)))
    }

    pub fn show(&self, query: &str) -> Result<MibObject, ApiError> {
        let oid = self.resolve("query", query)?;
        self.0.show(&oid).ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::NotFound,
                format!("no MIB object at .{oid} (loaded modules name nothing there)"),
            )
        })
    }

    /// Children of `oid` (none: the top of the tree), for the browser.
    pub fn children(&self, oid: Option<&str>) -> Result<Vec<MibTreeNode>, ApiError> {
        let oid = oid.map(|o| self.resolve("oid", o)).transpose()?;
        Ok(self.0.children(oid.as_deref()))
    }

    pub fn list(&self) -> MibReport {
        self.0.report().clone()
    }

    /// A name or OID as a dotted numeric OID, for storing (rules, items):
    /// an unknown name is a field error on `field`.
    pub fn resolve(&self, field: &str, query: &str) -> Result<String, ApiError> {
        self.0.resolve(query).map_err(|reason| ApiError::field(field, reason))
    }

    /// [`Mibs::resolve`] as a [`FieldError`], for validators that gather several.
    pub fn resolve_field(&self, field: &str, query: &str) -> Result<String, FieldError> {
        self.0.resolve(query).map_err(|reason| FieldError::new(field, reason))
    }
}

impl App {
    /// The MIB set of this process: loaded at first use from the shipped
    /// modules and `mib_dir`.
    pub fn mibs(&self) -> Mibs {
        self.mibs.get_or_init(|| Mibs::load(self.cfg.mib_dir.as_deref())).clone()
    }

    pub fn mib_translate(&self, query: &str) -> Result<MibTranslation, ApiError> {
        self.mibs().translate(query)
    }

    pub fn mib_search(&self, text: &str, limit: usize) -> Result<Vec<MibTreeNode>, ApiError> {
        self.mibs().search(text, limit)
    }

    pub fn mib_show(&self, query: &str) -> Result<MibObject, ApiError> {
        self.mibs().show(query)
    }

    pub fn mib_children(&self, oid: Option<&str>) -> Result<Vec<MibTreeNode>, ApiError> {
        self.mibs().children(oid)
    }

    pub fn mib_list(&self) -> MibReport {
        self.mibs().list()
    }
}
