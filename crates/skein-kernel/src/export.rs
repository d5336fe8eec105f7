//! Export to Dask: a notebook as a Jupyter notebook that runs under CPython with the real
//! dask, distributed, numpy, pandas, scipy and matplotlib, on a laptop's `LocalCluster` or
//! any Dask cluster.
//!
//! What a cell says with Dask's, pandas' or matplotlib's names means the same under CPython,
//! and the IPython magics Skein takes (`%%time`, `%matplotlib inline`) are Jupyter's own, so
//! cells go out as they are, with the outputs of their Skein run. Only `skein.labs`, the
//! seed workloads Skein runs in Rust, exists nowhere else. So the export:
//!
//! - inserts, before the first cell that imports `skein.labs`, a code cell defining the lab
//!   functions the notebook uses in plain Python (`export/skein_labs.py`, NumPy and SciPy)
//!   inside a namespace, `skein_labs`. They are defined in the notebook's `__main__`, which
//!   cloudpickle pickles by value, so they reach any cluster's workers with nothing to
//!   install there (a module file would have to be on every worker);
//! - rewrites each import of `skein.labs`, wherever it stands, into assignments from that
//!   namespace on the same lines (`multi_sample = skein_labs.multi_sample  # from skein.labs
//!   import multi_sample`): a name rebinds where the notebook imported it, even after the
//!   notebook redefined it, and tracebacks keep their line numbers.
//!
//! The inserted cell's metadata is `{"skein": {"inserted": "skein.labs"}}`, so tools can
//! tell it from the notebook's own cells, and [`Notebook::from_ipynb`] reads an export back
//! as the notebook it came from: without that cell, its imports restored (`ipynb.rs` owns
//! those marks). Here, `imports` rewrites the imports and `labs_cell` writes the inserted cell.
//!
//! ```
//! use skein_kernel::{CellKind, Notebook, NotebookCell, export};
//!
//! let nb = Notebook {
//!     title: "Pi".into(),
//!     cells: vec![NotebookCell::new(CellKind::Code, "from skein.labs import multi_sample\nmulti_sample(10)")],
//! };
//! let ipynb = export::to_dask_ipynb(&nb);
//! assert!(ipynb.contains("def multi_sample(n):"));
//! assert!(ipynb.contains("multi_sample = skein_labs.multi_sample  # from skein.labs import multi_sample"));
//! assert_eq!(Notebook::parse(&ipynb).unwrap(), nb);
//! ```

mod imports;
mod labs_cell;

use serde_json::Value;

use crate::ipynb;
use crate::notebook::{Cell, CellKind, Notebook};
use imports::{Found, rewrite_cell};
use labs_cell::labs_cell;

/// The notebook as a Jupyter notebook (nbformat 4.5) that runs on Dask; see the
/// [module docs](self).
pub fn to_dask_ipynb(notebook: &Notebook) -> String {
    let (exported, inserted) = for_dask(notebook);
    let text = exported.to_ipynb();
    let Some(index) = inserted else {
        return text;
    };
    let Ok(mut doc) = serde_json::from_str::<Value>(&text) else {
        return text;
    };
    if let Some(cell) = doc.get_mut("cells").and_then(|c| c.get_mut(index)) {
        ipynb::mark_inserted(cell);
    }
    serde_json::to_string_pretty(&doc).unwrap_or(text)
}

/// The notebook with its `skein.labs` imports rewritten and the lab cell inserted, and the
/// inserted cell's index.
fn for_dask(notebook: &Notebook) -> (Notebook, Option<usize>) {
    let mut cells = Vec::with_capacity(notebook.cells.len() + 1);
    let mut first_use = None;
    let mut found = Found::default();
    for cell in &notebook.cells {
        let mut cell = cell.clone();
        if cell.kind == CellKind::Code
            && let Some(rewritten) = rewrite_cell(&cell.source, &mut found)
        {
            first_use.get_or_insert(cells.len());
            cell.source = rewritten;
        }
        cells.push(cell);
    }
    let Some(index) = first_use else {
        return (notebook.clone(), None);
    };
    cells.insert(index, Cell::new(CellKind::Code, labs_cell(&found.used())));
    let exported = Notebook {
        title: notebook.title.clone(),
        cells,
    };
    (exported, Some(index))
}

#[cfg(test)]
mod test {
    use super::*;

    fn code(source: &str) -> Cell {
        Cell::new(CellKind::Code, source)
    }

    fn notebook(cells: Vec<Cell>) -> Notebook {
        Notebook {
            title: "t".into(),
            cells,
        }
    }

    #[test]
    fn the_lab_cell_goes_before_the_first_cell_that_imports_the_labs() {
        let mut plot = code("from skein.labs import traffic_grid\ngrid = traffic_grid(4, 1)");
        plot.outputs.push("a grid\n".into());
        let nb = notebook(vec![
            Cell::new(CellKind::Markdown, "# Title"),
            code("import random"),
            plot,
            code("import skein.labs as labs\nlabs.multi_sample(10)"),
        ]);
        let doc: Value = serde_json::from_str(&to_dask_ipynb(&nb)).unwrap();
        let cells = doc["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 5);
        assert_eq!(cells[2]["metadata"]["skein"]["inserted"], "skein.labs");
        let inserted: String = cells[2]["source"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert!(inserted.contains("def traffic_grid(") && inserted.contains("def multi_sample("));
        assert_eq!(
            cells[3]["source"][0],
            "traffic_grid = skein_labs.traffic_grid  # from skein.labs import traffic_grid\n"
        );
        assert_eq!(cells[3]["outputs"][0]["text"][0], "a grid\n");
        assert_eq!(cells[1]["source"][0], "import random");
    }

    #[test]
    fn an_export_reads_back_as_the_notebook_it_came_from() {
        let mut first = code(
            "%%time\nfrom skein.labs import (multi_sample,\n    traffic_grid)  # both\ndef f():\n    import skein.labs as labs\n    return labs.summarize([1])\n",
        );
        first.outputs.push("3.14\n".into());
        let nb = notebook(vec![
            Cell::new(CellKind::Markdown, "# Labs"),
            first,
            code("import skein\nprint(skein_labs)  # from skein.labs, not an import"),
        ]);
        let exported = to_dask_ipynb(&nb);
        let back = Notebook::parse(&exported).unwrap();
        assert_eq!(back.cells[0], nb.cells[0]);
        assert_eq!(
            back.cells[1].source,
            "%%time\n\nfrom skein.labs import (multi_sample, traffic_grid)  # both\ndef f():\n    import skein.labs as labs\n    return labs.summarize([1])\n"
        );
        assert_eq!(back.cells[1].outputs, nb.cells[1].outputs);
        assert_eq!(back.cells[2], nb.cells[2]);
        assert_eq!(back.cells.len(), 3);
    }

    #[test]
    fn a_notebook_without_labs_exports_as_it_is() {
        let nb = notebook(vec![code(
            "%%time\nfrom dask import delayed\ndelayed(sum)([1, 2])",
        )]);
        assert_eq!(to_dask_ipynb(&nb), nb.to_ipynb());
    }
}
