//! `skein run NOTEBOOK`: runs a notebook (`.ipynb` or Skein's own JSON) top to bottom on all
//! cores with the same kernel as the browser, printing one JSON line per output.
//!
//! Each line is `{"cell": <index among code cells>, "kind": …, "text": …}`: `text` is what
//! Jupyter's `text/plain` shows (printed lines, the value's repr — a DataFrame's, Series' or
//! array's as pandas and NumPy print it — the traceback); plots, graphs
//! and files come as their kind with a short description; a plot's line adds its `title`,
//! `xlabel`, `ylabel` and the tick texts matplotlib would print (`xticks`, `yticks`). The
//! first failing cell stops the run: its traceback goes to stderr and the command exits with
//! status 1. With `--allow-errors` (nbclient's name) the run goes on past failing cells,
//! printing each traceback to stderr, and exits with status 1 at the end if any cell failed.

use std::path::{Path, PathBuf};

use serde_json::json;
use skein_kernel::{CellKind, CellOutcome, Kernel, Notebook, Output, Plot};

/// Arguments of `skein run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notebook: a Jupyter `.ipynb` or a Skein `.json`.
    notebook: PathBuf,
    /// A directory whose files cells can read (`open('data/traffic.npy')`, `pd.read_csv`).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Run every cell even when some fail; exit with status 1 at the end if any did.
    #[arg(long)]
    allow_errors: bool,
}

/// Why a run stopped early.
#[derive(Debug)]
pub enum RunError {
    /// The notebook or a data file could not be read.
    Input(String),
    /// A cell failed; its traceback was printed.
    Cell,
    /// With `--allow-errors`: these code cells (by index) failed; their tracebacks were printed.
    Cells(Vec<usize>),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Input(message) => f.write_str(message),
            RunError::Cell => f.write_str("a cell failed (its traceback is above)"),
            RunError::Cells(cells) => {
                let list: Vec<String> = cells.iter().map(usize::to_string).collect();
                write!(
                    f,
                    "{} code cells failed (their tracebacks are above): {}",
                    cells.len(),
                    list.join(", ")
                )
            }
        }
    }
}

/// Every file under `dir`, named by its path relative to `dir`.
fn data_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, RunError> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|e| {
            RunError::Input(format!(
                "cannot read the data directory {}: {e}",
                current.display()
            ))
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((name, bytes));
            }
        }
    }
    Ok(files)
}

fn line(cell: usize, output: &Output) -> serde_json::Value {
    match output {
        Output::Plot(plot) => {
            let (kind, labels, axes) = match plot {
                Plot::Histogram { labels, axes, .. } => ("histogram", labels, axes),
                Plot::Line { labels, axes, .. } => ("line plot", labels, axes),
                Plot::Image { labels, axes, .. } => ("image", labels, axes),
            };
            json!({
                "cell": cell,
                "kind": "plot",
                "text": format!("<{kind}>"),
                "title": labels.title,
                "xlabel": labels.x_label,
                "ylabel": labels.y_label,
                "xticks": axes.x.labels,
                "yticks": axes.y.labels,
            })
        }
        Output::Graph { dot, .. } => json!({ "cell": cell, "kind": "graph", "text": dot }),
        Output::Table(table) => json!({ "cell": cell, "kind": "table", "text": table.text }),
        Output::File { name, .. } => json!({ "cell": cell, "kind": "file", "text": name }),
        Output::Text { text } => json!({ "cell": cell, "kind": "text", "text": text }),
        Output::Value { display, .. } => json!({ "cell": cell, "kind": "value", "text": display }),
        Output::Error(err) => json!({ "cell": cell, "kind": "error", "text": err.message }),
    }
}

/// Runs the notebook.
pub fn run(args: &Args) -> Result<(), RunError> {
    let text = std::fs::read_to_string(&args.notebook)
        .map_err(|e| RunError::Input(format!("cannot read {}: {e}", args.notebook.display())))?;
    let notebook = Notebook::parse(&text)
        .map_err(|e| RunError::Input(format!("{}: {e}", args.notebook.display())))?;
    let mut kernel = Kernel::new();
    if let Some(dir) = &args.data {
        for (name, bytes) in data_files(dir)? {
            kernel.set_file(&name, bytes);
        }
    }
    let started = std::time::Instant::now();
    let mut failed = Vec::new();
    let code_cells = notebook.cells.iter().filter(|c| c.kind == CellKind::Code);
    for (index, cell) in code_cells.enumerate() {
        let outcome = kernel.run_cell(&cell.source, &mut |output| {
            println!("{}", line(index, &output))
        });
        if let CellOutcome::Err(err) = outcome {
            eprintln!("cell {index} failed:\n{}", err.message);
            if !args.allow_errors {
                return Err(RunError::Cell);
            }
            failed.push(index);
        }
    }
    eprintln!(
        "ran {} code cells of {:?} in {:.2} s on {} workers",
        notebook.code_cells().count(),
        notebook.title,
        started.elapsed().as_secs_f64(),
        kernel.client().workers()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(RunError::Cells(failed))
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn a_plot_line_carries_labels_and_matplotlib_ticks() {
        let mut kernel = Kernel::new();
        let mut lines = Vec::new();
        let outcome = kernel.run_cell(
            "import matplotlib.pyplot as plt\n\
             plt.hist([float(i) for i in range(251)], bins=10)\n\
             plt.title('Spread')\n\
             plt.xlabel('value')\n\
             plt.show()",
            &mut |output| lines.push(line(0, &output)),
        );
        assert!(matches!(outcome, CellOutcome::Ok { .. }), "{outcome:?}");
        let plot = lines
            .iter()
            .find(|l| l["kind"] == "plot")
            .expect("a plot line");
        assert_eq!(plot["title"], "Spread");
        assert_eq!(plot["xlabel"], "value");
        assert_eq!(plot["ylabel"], "");
        assert_eq!(
            plot["xticks"],
            json!(["0", "50", "100", "150", "200", "250"])
        );
        assert_eq!(plot["yticks"], json!(["0", "5", "10", "15", "20", "25"]));
    }
}
