//! The map's opt-in tile server (`meridian_core::maptiles`), stored as the
//! `mapTiles` setting like the app's other settings (no migration). The
//! check is core's; a refused value writes nothing.

use chrono::{DateTime, Utc};
use meridian_core::maptiles::MapTiles;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

/// The settings key holding [`MapTiles`].
pub(crate) const MAP_TILES_KEY: &str = "mapTiles";

impl App {
    /// The tile server setting; empty (offline basemap only) until set.
    pub async fn map_tiles(&self) -> Result<MapTiles, ApiError> {
        match self.store.get_setting(MAP_TILES_KEY).await? {
            Some(v) => serde_json::from_value(v).map_err(|e| {
                ApiError::new(
                    ApiErrorKind::Store,
                    format!("the stored mapTiles setting is unreadable ({e}); set it again"),
                )
            }),
            None => Ok(MapTiles::default()),
        }
    }

    /// Checks and stores the tile server (blanks trimmed); an empty URL turns
    /// the tiles off again. Returns what was stored.
    pub async fn set_map_tiles(&self, tiles: MapTiles, now: DateTime<Utc>) -> Result<MapTiles, ApiError> {
        let tiles = tiles.trimmed();
        tiles.validate()?;
        let value = serde_json::to_value(&tiles)
            .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("mapTiles: {e}")))?;
        self.store.set_setting(MAP_TILES_KEY, &value, now).await?;
        // The URL names a server the user chose; it is not a secret.
        tracing::info!(url = %tiles.url, "map tile server set");
        Ok(tiles)
    }
}
