//! `skein export NOTEBOOK -o OUT.ipynb`: the notebook as a Jupyter notebook that runs under
//! CPython with the real Dask (see `skein_kernel::export`): cells and their outputs as they
//! are, `skein.labs` inlined in plain Python.

use std::path::PathBuf;

use skein_kernel::{Notebook, export};

/// Arguments of `skein export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notebook: a Jupyter `.ipynb` or a Skein `.json`.
    notebook: PathBuf,
    /// Where to write the Jupyter notebook.
    #[arg(short, long)]
    output: PathBuf,
}

/// Writes the export; a summary goes to stderr.
pub fn run(args: &Args) -> Result<(), String> {
    let text = std::fs::read_to_string(&args.notebook)
        .map_err(|e| format!("cannot read {}: {e}", args.notebook.display()))?;
    let notebook =
        Notebook::parse(&text).map_err(|e| format!("{}: {e}", args.notebook.display()))?;
    let ipynb = export::to_dask_ipynb(&notebook);
    std::fs::write(&args.output, &ipynb)
        .map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
    eprintln!(
        "exported {:?} to {} for Jupyter and Dask",
        notebook.title,
        args.output.display()
    );
    Ok(())
}
