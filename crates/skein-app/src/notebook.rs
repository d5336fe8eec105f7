//! The notebook on the page: cells with reactive source, outputs and run state, and its
//! conversion to and from the notebook file format.

use leptos::prelude::*;
use skein_kernel::{CellKind, Notebook, NotebookCell, Output};

use crate::kernel::CellId;

/// Where a cell is in its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Queued,
    Running,
    Failed,
}

/// One cell on the page. Fields are signals so editing one cell redraws only that cell.
#[derive(Clone, Copy)]
pub struct CellModel {
    pub id: CellId,
    pub kind: RwSignal<CellKind>,
    pub source: RwSignal<String>,
    pub outputs: RwSignal<Vec<Output>>,
    /// The kernel's execution count for this cell's last run (`[3]`).
    pub count: RwSignal<Option<u64>>,
    pub state: RwSignal<RunState>,
}

impl CellModel {
    pub fn new(id: CellId, kind: CellKind, source: String) -> Self {
        Self {
            id,
            kind: RwSignal::new(kind),
            source: RwSignal::new(source),
            outputs: RwSignal::new(Vec::new()),
            count: RwSignal::new(None),
            state: RwSignal::new(RunState::Idle),
        }
    }

    /// Frees a dropped cell's outputs (plots and tables can be large): its signals live as
    /// long as the notebook's owner, so without this a session that opens example after
    /// example would keep every old output.
    fn release_outputs(&self) {
        self.outputs
            .try_update_untracked(|outputs| *outputs = Vec::new());
    }
}

/// The notebook: a title and cells in order.
#[derive(Clone, Copy)]
pub struct NotebookModel {
    pub title: RwSignal<String>,
    pub cells: RwSignal<Vec<CellModel>>,
    next_id: StoredValue<CellId>,
    /// The owner of every cell's signals: the notebook's own, not whichever component's
    /// handler made the cell (a link banner's button, say), which may be disposed a moment
    /// later and take the new cells' signals with it.
    owner: StoredValue<Owner>,
}

impl NotebookModel {
    pub fn new(notebook: &Notebook) -> Self {
        let model = Self {
            title: RwSignal::new(String::new()),
            cells: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(1),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        };
        model.replace(notebook);
        model
    }

    /// Replaces every cell (opening an example or an imported file).
    pub fn replace(&self, notebook: &Notebook) {
        self.title.set(notebook.title.clone());
        self.cells
            .with_untracked(|old| old.iter().for_each(CellModel::release_outputs));
        let cells = notebook
            .cells
            .iter()
            .map(|cell| {
                let model = self.new_cell(cell.kind, cell.source.clone());
                // Text a Jupyter notebook brought along shows until the cell runs again.
                model.outputs.set(
                    cell.outputs
                        .iter()
                        .map(|text| Output::Text {
                            text: text.trim_end_matches('\n').to_owned(),
                        })
                        .collect(),
                );
                model
            })
            .collect();
        self.cells.set(cells);
    }

    fn new_cell(&self, kind: CellKind, source: String) -> CellModel {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let owner = self.owner.get_value();
        owner.with(|| CellModel::new(id, kind, source))
    }

    pub fn find(&self, id: CellId) -> Option<CellModel> {
        self.cells
            .with_untracked(|cells| cells.iter().find(|c| c.id == id).copied())
    }

    /// Inserts an empty code cell after `after` (or at the end) and returns it.
    pub fn insert_after(&self, after: Option<CellId>) -> CellModel {
        let cell = self.new_cell(CellKind::Code, String::new());
        self.cells.update(|cells| {
            let at = after
                .and_then(|id| cells.iter().position(|c| c.id == id))
                .map_or(cells.len(), |i| i + 1);
            cells.insert(at, cell);
        });
        cell
    }

    pub fn remove(&self, id: CellId) {
        if let Some(cell) = self.find(id) {
            cell.release_outputs();
        }
        self.cells.update(|cells| cells.retain(|c| c.id != id));
    }

    /// Moves a cell one place up (`-1`) or down (`+1`).
    pub fn shift(&self, id: CellId, by: isize) {
        self.cells.update(|cells| {
            if let Some(i) = cells.iter().position(|c| c.id == id) {
                let j = i as isize + by;
                if (0..cells.len() as isize).contains(&j) {
                    cells.swap(i, j as usize);
                }
            }
        });
    }

    /// The cell after `id`, for Shift+Enter.
    pub fn next_of(&self, id: CellId) -> Option<CellModel> {
        self.cells.with_untracked(|cells| {
            let i = cells.iter().position(|c| c.id == id)?;
            cells.get(i + 1).copied()
        })
    }

    /// The notebook as a file (reactive: reading it tracks every title and source).
    pub fn to_notebook(self) -> Notebook {
        Notebook {
            title: self.title.get(),
            cells: self
                .cells
                .get()
                .iter()
                .map(|cell| NotebookCell::new(cell.kind.get(), cell.source.get()))
                .collect(),
        }
    }

    /// The notebook as a file with each cell's outputs as text, read once (for `.ipynb`).
    pub fn to_notebook_with_outputs(self) -> Notebook {
        let mut notebook = untrack(|| self.to_notebook());
        let cells = self.cells.get_untracked();
        for (file_cell, model) in notebook.cells.iter_mut().zip(cells.iter()) {
            file_cell.outputs = model
                .outputs
                .get_untracked()
                .iter()
                .filter_map(Output::as_text)
                .collect();
        }
        notebook
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn notebook(sources: &[&str]) -> Notebook {
        Notebook {
            title: "t".into(),
            cells: sources
                .iter()
                .map(|s| NotebookCell::new(CellKind::Code, (*s).to_owned()))
                .collect(),
        }
    }

    #[wasm_bindgen_test]
    fn cells_made_by_a_short_lived_component_outlive_it() {
        let root = Owner::new();
        let model = root.with(|| NotebookModel::new(&notebook(&["a = 1"])));
        // A banner's button opens another notebook, then the banner goes away.
        let banner = root.child();
        banner.with(|| model.replace(&notebook(&["b = 2", "c = 3"])));
        let added = banner.with(|| model.insert_after(None));
        drop(banner);
        let sources: Vec<String> = model
            .cells
            .get_untracked()
            .iter()
            .map(|c| {
                c.source
                    .try_get_untracked()
                    .expect("the cell's source is alive")
            })
            .collect();
        assert_eq!(sources, ["b = 2", "c = 3", ""]);
        assert!(added.state.try_get_untracked().is_some());
    }

    #[wasm_bindgen_test]
    fn dropped_cells_let_go_of_their_outputs() {
        let root = Owner::new();
        let model = root.with(|| NotebookModel::new(&notebook(&["a", "b"])));
        let [first, second] = model.cells.get_untracked()[..] else {
            panic!("two cells")
        };
        let output = Output::Text {
            text: "x".repeat(1 << 20),
        };
        first.outputs.set(vec![output.clone()]);
        second.outputs.set(vec![output]);
        model.remove(second.id);
        assert!(second.outputs.get_untracked().is_empty());
        model.replace(&notebook(&["c"]));
        assert!(first.outputs.get_untracked().is_empty());
        assert_eq!(model.cells.get_untracked().len(), 1);
    }
}
