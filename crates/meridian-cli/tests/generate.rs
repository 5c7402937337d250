//! `meridian generate completions|man` end to end: the real binary writes
//! what the packages install, and each file is loaded by the program that
//! reads it where that program is here (bash, man's groff). No data
//! directory: packaging runs on a build machine that has none.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("meridian")
        .expect("binary")
        .env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-generate-test")
        .env_remove("MERIDIAN_DATABASE_URL")
        .args(args)
        .output()
        .expect("run meridian")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn completions_for_bash_zsh_and_fish_name_the_subcommands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("nested/completions");
    let o = run(&["generate", "completions", "--out", out.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));

    let bash = read(&out.join("meridian"));
    let zsh = read(&out.join("_meridian"));
    let fish = read(&out.join("meridian.fish"));
    assert!(zsh.starts_with("#compdef meridian"), "zsh: {}", &zsh[..zsh.len().min(80)]);
    for sub in ["device", "discover", "monitor", "timing"] {
        assert!(bash.contains(sub) && zsh.contains(sub) && fish.contains(sub), "{sub} missing from a completion");
    }
    // Flags of a nested subcommand reach the completions too.
    assert!(fish.contains("-l data-dir"), "fish lacks --data-dir");

    // bash itself loads the script and registers it for `meridian`.
    let loaded = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && complete -p meridian", out.join("meridian").display()))
        .output()
        .expect("run bash");
    assert!(loaded.status.success(), "bash: {}", String::from_utf8_lossy(&loaded.stderr));
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("meridian"));
}

#[test]
fn man_page_is_roff_for_meridian_1_with_the_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(&["generate", "man", "--out", dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    let page = read(&dir.path().join("meridian.1"));
    let th = page.lines().find(|l| l.starts_with(".TH ")).expect("a .TH line");
    assert!(th.starts_with(".TH meridian 1"), "{th}");
    assert!(th.contains(env!("CARGO_PKG_VERSION")), "{th}");
    assert!(page.contains("device") && page.contains("data\\-dir"), "subcommands and options are listed");
    // The generator is for packagers, not users: it is not in the page or --help.
    assert!(!page.contains("generate"), "the hidden generate command leaked into the man page");
}

#[test]
fn unwritable_out_is_one_line_naming_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").expect("write");
    let target = file.join("below");
    let o = run(&["generate", "man", "--out", target.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&*target.to_string_lossy()) && err.contains("(validation)"), "{err}");
    assert!(!target.exists());
}

#[test]
fn version_flag_prints_name_and_version() {
    let o = run(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), format!("meridian {}", env!("CARGO_PKG_VERSION")));
}
