//! Window placement and the state file: pure rules and real files.

use super::*;

const MIN: (f64, f64) = (640.0, 400.0);

fn state(x: i32, y: i32, width: u32, height: u32) -> WindowState {
    WindowState { x, y, width, height, maximized: false }
}

fn monitor(x: i32, y: i32, width: u32, height: u32, scale: f64) -> Area {
    Area { x, y, width, height, scale }
}

#[test]
fn a_window_on_a_monitor_stays_where_it_was() {
    let mons = [monitor(0, 0, 1920, 1080, 1.0), monitor(1920, 0, 2560, 1440, 1.0)];
    assert_eq!(place(&state(100, 50, 1200, 800), &mons, MIN), state(100, 50, 1200, 800));
    // On the second monitor, mostly: stays there.
    assert_eq!(place(&state(2000, 100, 1000, 700), &mons, MIN), state(2000, 100, 1000, 700));
    let max = WindowState { maximized: true, ..state(10, 10, 800, 600) };
    assert_eq!(place(&max, &mons, MIN), max);
}

#[test]
fn a_window_on_an_unplugged_monitor_is_centred_on_the_primary() {
    let mons = [monitor(0, 0, 1920, 1080, 1.0)];
    assert_eq!(place(&state(3000, 200, 1200, 800), &mons, MIN), state(360, 140, 1200, 800));
    // A sliver on screen is not enough to reach the title bar.
    assert_eq!(place(&state(1900, 100, 1200, 800), &mons, MIN), state(360, 140, 1200, 800));
}

#[test]
fn a_window_hanging_off_the_edge_is_pulled_in() {
    let mons = [monitor(0, 0, 1920, 1080, 1.0)];
    assert_eq!(place(&state(1500, -40, 1200, 800), &mons, MIN), state(720, 0, 1200, 800));
}

#[test]
fn size_is_at_least_the_minimum_and_at_most_the_monitor() {
    let mons = [monitor(0, 0, 1280, 720, 1.0)];
    assert_eq!(place(&state(0, 0, 100, 100), &mons, MIN), state(0, 0, 640, 400));
    assert_eq!(place(&state(0, 0, 4000, 3000), &mons, MIN), state(0, 0, 1280, 720));
    // HiDPI: the logical minimum is scaled to physical pixels.
    let hidpi = [monitor(0, 0, 3840, 2160, 2.0)];
    assert_eq!(place(&state(0, 0, 700, 500), &hidpi, MIN), state(0, 0, 1280, 800));
}

#[test]
fn without_monitor_information_only_the_minimum_applies() {
    assert_eq!(place(&state(-5000, 9, 10, 900), &[], MIN), state(-5000, 9, 640, 900));
}

#[test]
fn save_then_load_round_trips_and_bad_files_mean_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested").join(FILE_NAME);
    assert_eq!(load(&path), None, "missing");
    let s = WindowState { x: -1920, y: 24, width: 1000, height: 700, maximized: true };
    save(&path, &s).expect("save");
    assert_eq!(load(&path), Some(s));
    let names: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [FILE_NAME], "the temp file is renamed away");

    for bad in [
        "",
        "{",
        "[]",
        r#"{"x":0,"y":0,"width":0,"height":10,"maximized":false}"#,
        r#"{"x":99999999,"y":0,"width":10,"height":10,"maximized":false}"#,
        r#"{"x":0,"y":0,"width":10,"height":10}"#,
        r#"{"x":0,"y":0,"width":10,"height":10,"maximized":false,"extra":1}"#,
    ] {
        std::fs::write(&path, bad).expect("write");
        assert_eq!(load(&path), None, "{bad:?}");
    }
}
