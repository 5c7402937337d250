//! `meridian generate completions|man --out DIR`: shell completions and the
//! man page, written from the same clap definition that parses the command
//! line, so they can never drift from it. Packaging runs this before bundling
//! (`scripts/package-stage.sh`); it is hidden from `--help` because users get
//! the files from the package, not from here.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Subcommand};
use clap_complete::Shell;
use meridian_service::ApiError;

use crate::cli::Cli;

#[derive(Debug, Subcommand)]
pub enum GenerateCmd {
    /// Completion scripts for bash, zsh and fish, under the names their
    /// vendor directories expect: `meridian`, `_meridian`, `meridian.fish`.
    Completions(OutArgs),
    /// The man page `meridian.1` (roff, uncompressed).
    Man(OutArgs),
}

#[derive(Debug, Args)]
pub struct OutArgs {
    /// Directory to write into; created if missing.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The shells we ship completions for and the file name each one loads.
const SHELLS: [(Shell, &str); 3] =
    [(Shell::Bash, "meridian"), (Shell::Zsh, "_meridian"), (Shell::Fish, "meridian.fish")];

pub fn run(cmd: GenerateCmd) -> Result<ExitCode, ApiError> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    match cmd {
        GenerateCmd::Completions(a) => {
            create_dir(&a.out)?;
            for (shell, file) in SHELLS {
                let path = a.out.join(file);
                write_file(&path, |w| {
                    clap_complete::generate(shell, &mut command, &name, w);
                    Ok(())
                })?;
                println!("{}", path.display());
            }
        }
        GenerateCmd::Man(a) => {
            create_dir(&a.out)?;
            let path = a.out.join(format!("{name}.1"));
            write_file(&path, |w| clap_mangen::Man::new(command).render(w))?;
            println!("{}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn create_dir(dir: &Path) -> Result<(), ApiError> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))
}

fn write_file(path: &Path, body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), ApiError> {
    let mut w = BufWriter::new(File::create(path).map_err(|e| io_error(path, &e))?);
    body(&mut w).and_then(|()| w.flush()).map_err(|e| io_error(path, &e))
}

fn io_error(path: &Path, e: &std::io::Error) -> ApiError {
    ApiError::field("out", format!("{}: {e}", path.display()))
}
