//! Tables: `table(rows)` shows rows (object maps, or arrays) as a table; `to_csv(rows)` gives
//! their CSV text; `download(name, text)` offers text as a file to download — the one way out
//! of the sandbox.
//!
//! ```rhai
//! let rows = [#{ a: 1, result: 2.5 }, #{ a: 2, result: 0.5 }];
//! table(rows);
//! download("results.csv", to_csv(rows));
//! ```

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, Map};

use crate::display;
use crate::errors;
use crate::output::{Cell, Output, Table};
use crate::session::Session;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Registers `table`, `to_csv` and `download`.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    let s = session.clone();
    engine.register_fn("table", move |rows: Array| -> RhaiResult<()> {
        s.outbox.emit(Output::Table(table(&rows)?));
        Ok(())
    });
    engine.register_fn("to_csv", |rows: Array| -> RhaiResult<String> {
        Ok(to_csv(&table(&rows)?))
    });
    let s = session.clone();
    engine.register_fn("download", move |name: &str, text: &str| {
        s.outbox.emit(Output::File {
            name: name.to_owned(),
            text: text.to_owned(),
        });
    });
}

/// Rows of maps (columns in first-seen order) or of arrays (columns numbered from 0).
pub(crate) fn table(rows: &Array) -> RhaiResult<Table> {
    let mut columns: Vec<String> = Vec::new();
    let mut maps: Vec<Map> = Vec::with_capacity(rows.len());
    for row in rows {
        let map = if let Some(m) = row.read_lock::<Map>() {
            m.clone()
        } else if let Some(a) = row.read_lock::<Array>() {
            a.iter()
                .enumerate()
                .map(|(i, v)| (i.to_string().into(), v.clone()))
                .collect()
        } else {
            return Err(errors::runtime(format!(
                "table rows are object maps or arrays, found a `{}`",
                row.type_name()
            )));
        };
        for key in map.keys() {
            if !columns.iter().any(|c| c == key.as_str()) {
                columns.push(key.to_string());
            }
        }
        maps.push(map);
    }
    let rows = maps
        .iter()
        .map(|m| {
            columns
                .iter()
                .map(|c| m.get(c.as_str()).map_or(Cell::Empty, cell))
                .collect()
        })
        .collect();
    Ok(Table { columns, rows })
}

fn cell(value: &Dynamic) -> Cell {
    if let Ok(i) = value.as_int() {
        Cell::Int(i)
    } else if let Ok(f) = value.as_float() {
        Cell::Float(f)
    } else if let Ok(b) = value.as_bool() {
        Cell::Bool(b)
    } else if value.is_unit() {
        Cell::Empty
    } else {
        Cell::Text(display::show(value))
    }
}

/// The table as CSV, with a header line; fields quoted when they need it.
pub(crate) fn to_csv(table: &Table) -> String {
    fn field(text: &str) -> String {
        if text.contains([',', '"', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }
    let mut out = table
        .columns
        .iter()
        .map(|c| field(c))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in &table.rows {
        let fields: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Int(i) => i.to_string(),
                Cell::Float(f) => f.to_string(),
                Cell::Bool(b) => b.to_string(),
                Cell::Text(t) => field(t),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn tables_collect_columns_and_export_csv() {
        let mut a = Map::new();
        a.insert("x".into(), Dynamic::from(1_i64));
        let mut b = Map::new();
        b.insert("y".into(), Dynamic::from("a,b"));
        let t = table(&vec![Dynamic::from(a), Dynamic::from(b)]).unwrap();
        assert_eq!(t.columns, ["x", "y"]);
        assert_eq!(t.rows[1], [Cell::Empty, Cell::Text("a,b".into())]);
        assert_eq!(to_csv(&t), "x,y\n1,\n,\"a,b\"\n");
    }
}
