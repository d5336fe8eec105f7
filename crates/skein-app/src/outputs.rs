//! A cell's outputs: printed text, the last value, sortable tables, plots, task graphs,
//! downloadable files and errors.

use leptos::prelude::*;
use skein_kernel::{Cell, CellError, Output, Plot, Table};

use crate::plot;
use crate::storage;

#[component]
pub fn OutputView(
    /// One output of a cell.
    output: Output,
) -> impl IntoView {
    match output {
        Output::Text { text } => view! { <pre class="out text">{text}</pre> }.into_any(),
        Output::Value { display, type_name } => view! {
            <pre class="out value" title=type_name>{display}</pre>
        }
        .into_any(),
        Output::Table(table) => view! { <TableView table /> }.into_any(),
        Output::Plot(plot) => view! { <PlotView plot /> }.into_any(),
        Output::Graph { svg, .. } => {
            view! { <div class="out graph" inner_html=svg></div> }.into_any()
        }
        Output::File { name, text } => {
            let label = format!("Download {name}");
            view! {
                <button class="out file" on:click=move |_| {
                    let _ = storage::download(&name, &text, "text/plain");
                }>{label}</button>
            }
            .into_any()
        }
        Output::Error(error) => view! { <ErrorView error /> }.into_any(),
    }
}

#[component]
fn ErrorView(
    /// The error that stopped the cell.
    error: CellError,
) -> impl IntoView {
    let place = match (error.line, error.column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    };
    let task = error.task_key.map(|key| format!(" (task {key})"));
    view! {
        <pre class="out error" data-testid="cell-error">
            <strong>{format!("{:?}", error.kind)} " error"</strong> " " {place} {error.message} {task}
        </pre>
    }
}

#[component]
fn PlotView(
    /// The plot to draw.
    plot: Plot,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let failure = RwSignal::new(None::<String>);
    // Matplotlib's default figure, 6.4 × 4.8 in.
    let (width, height) = (640, 480);
    // The tick texts drawn, for tests to compare with matplotlib's.
    let tick_texts = |labels: &[String]| serde_json::to_string(labels).unwrap_or_default();
    let (x_ticks, y_ticks) = (
        tick_texts(&plot.axes().x.labels),
        tick_texts(&plot.axes().y.labels),
    );
    let colorbar_ticks = match &plot {
        Plot::Image {
            min,
            max,
            colorbar: true,
            ..
        } => Some(tick_texts(&plot::colorbar_ticks(*min, *max).labels)),
        _ => None,
    };
    Effect::new(move |_| {
        if let Some(canvas) = canvas.get()
            && let Err(error) = plot::draw(canvas, &plot)
        {
            failure.set(Some(error));
        }
    });
    view! {
        <div class="out plot">
            <canvas node_ref=canvas width=width height=height data-testid="plot" data-xticks=x_ticks data-yticks=y_ticks data-colorbar-ticks=colorbar_ticks></canvas>
            {move || failure.get().map(|e| view! { <p class="error">"could not draw: " {e}</p> })}
        </div>
    }
}

/// Rows shown before the table says how many more there are.
const TABLE_ROWS_SHOWN: usize = 200;

#[component]
fn TableView(
    /// The table to show.
    table: Table,
) -> impl IntoView {
    let sort = RwSignal::new(None::<(usize, bool)>);
    let total = table.rows.len();
    let columns = table.columns.clone();
    let rows = StoredValue::new(table.rows);
    let sorted_rows = move || {
        let mut shown = rows.get_value();
        if let Some((column, descending)) = sort.get() {
            shown.sort_by(|a, b| {
                let order = compare(a.get(column), b.get(column));
                if descending { order.reverse() } else { order }
            });
        }
        shown.truncate(TABLE_ROWS_SHOWN);
        shown
    };
    view! {
        <div class="out table" data-testid="table" data-rows=total>
            <table>
                <thead>
                    <tr>
                        {columns
                            .into_iter()
                            .enumerate()
                            .map(|(i, name)| {
                                let arrow = move || match sort.get() {
                                    Some((c, false)) if c == i => " ▲",
                                    Some((c, true)) if c == i => " ▼",
                                    _ => "",
                                };
                                view! {
                                    <th on:click=move |_| {
                                        sort.update(|s| {
                                            *s = match *s {
                                                Some((c, false)) if c == i => Some((i, true)),
                                                _ => Some((i, false)),
                                            }
                                        })
                                    }>{name}{arrow}</th>
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        sorted_rows()
                            .into_iter()
                            .map(|row| {
                                view! {
                                    <tr>
                                        {row.iter().map(|cell| view! { <td>{show(cell)}</td> }).collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            {(total > TABLE_ROWS_SHOWN)
                .then(|| view! { <p class="more">{format!("{total} rows; showing the first {TABLE_ROWS_SHOWN}")}</p> })}
        </div>
    }
}

fn show(cell: &Cell) -> String {
    match cell {
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => format!("{f:.6}"),
        Cell::Bool(b) => b.to_string(),
        Cell::Text(t) => t.clone(),
        Cell::Empty => String::new(),
    }
}

/// Numbers before text, empty cells last; numbers compare by value.
fn compare(a: Option<&Cell>, b: Option<&Cell>) -> std::cmp::Ordering {
    let number = |c: Option<&Cell>| match c {
        Some(Cell::Int(i)) => Some(*i as f64),
        Some(Cell::Float(f)) => Some(*f),
        Some(Cell::Bool(b)) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => show_opt(a).cmp(&show_opt(b)),
    }
}

fn show_opt(cell: Option<&Cell>) -> String {
    cell.map(show).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use leptos::task::tick;
    use skein_kernel::ErrorKind;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// Mounts `output` in a fresh element of the page and returns that element.
    fn mount(output: Output) -> web_sys::HtmlElement {
        let parent: web_sys::HtmlElement = document()
            .create_element("div")
            .expect("a div")
            .unchecked_into();
        document()
            .body()
            .expect("a body")
            .append_child(&parent)
            .expect("appended");
        leptos::mount::mount_to(parent.clone(), move || view! { <OutputView output /> }).forget();
        parent
    }

    fn column(root: &web_sys::HtmlElement, index: usize) -> Vec<String> {
        let cells = root
            .query_selector_all(&format!("tbody tr td:nth-child({})", index + 1))
            .expect("a selector");
        (0..cells.length())
            .filter_map(|i| cells.item(i)?.text_content())
            .collect()
    }

    #[wasm_bindgen_test]
    async fn clicking_a_column_header_sorts_numbers_by_value_then_reverses() {
        let root = mount(Output::Table(Table {
            columns: vec!["player".into(), "points".into()],
            rows: vec![
                vec![Cell::Text("Ann".into()), Cell::Int(10)],
                vec![Cell::Text("Bo".into()), Cell::Int(9)],
                vec![Cell::Text("Cy".into()), Cell::Int(100)],
            ],
            text: String::new(),
        }));
        assert_eq!(column(&root, 0), ["Ann", "Bo", "Cy"]);
        let header: web_sys::HtmlElement = root
            .query_selector("th:nth-child(2)")
            .unwrap()
            .expect("a points header")
            .unchecked_into();
        header.click();
        tick().await;
        assert_eq!(
            column(&root, 1),
            ["9", "10", "100"],
            "numeric, not text, order"
        );
        header.click();
        tick().await;
        assert_eq!(column(&root, 1), ["100", "10", "9"]);
        assert!(header.text_content().unwrap_or_default().ends_with('▼'));
    }

    #[wasm_bindgen_test]
    fn an_error_shows_its_kind_place_and_task() {
        let root = mount(Output::Error(CellError {
            kind: ErrorKind::Task,
            message: "division by zero".into(),
            line: Some(3),
            column: Some(7),
            task_key: Some("inverse-1f2e".into()),
        }));
        let text = root.text_content().unwrap_or_default();
        assert!(text.contains("Task error"), "{text}");
        assert!(text.contains("line 3, column 7"), "{text}");
        assert!(text.contains("division by zero"), "{text}");
        assert!(text.contains("(task inverse-1f2e)"), "{text}");
    }

    #[wasm_bindgen_test]
    fn a_long_table_says_how_many_rows_it_has() {
        let rows = (0..1000).map(|i| vec![Cell::Int(i)]).collect();
        let root = mount(Output::Table(Table {
            columns: vec!["i".into()],
            rows,
            text: String::new(),
        }));
        let table = root
            .query_selector("[data-testid=table]")
            .unwrap()
            .expect("a table");
        assert_eq!(table.get_attribute("data-rows").as_deref(), Some("1000"));
        assert_eq!(column(&root, 0).len(), TABLE_ROWS_SHOWN);
        assert!(
            root.text_content()
                .unwrap_or_default()
                .contains("1000 rows")
        );
    }
}
