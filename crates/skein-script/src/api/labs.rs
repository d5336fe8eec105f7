//! The seed workloads of `skein-labs`, native and fast, as script functions — the heavy work
//! of a notebook runs at native (or wasm) speed while the script only orchestrates.
//!
//! | script | lab |
//! | --- | --- |
//! | `sample()`, `multi_sample(n)`, `multi_sample_seeded(n, seed)`, `pi_estimate(hits, n)` | Monte Carlo π |
//! | `traffic_grid(size, seed)`, `load_npy(file)` | a traffic grid (`Matrix`) |
//! | `build_adj_matrix(costs)`, `shortest_path(adj)` | travel times |
//! | `split_zones(grid, k)`, `zone_travel_times(zone)`, `zone_samples(zone, tt, trucks, n, seed)` | zones |
//! | `response_to_random_fire(tt, rows, cols)`, `nearest_truck_response(tt, rows, cols, trucks)` | responses |
//! | `summarize(values)` | mean, median, p90, max |
//! | `random_params(rows, seed)`, `costly_simulation(params)`, `costly_simulation(params, max_delay_ms)` | the sweep |
//! | `load_csv(file, blocksize, partition, schema)`, `partition_count(file, blocksize)` | the toy dataframe |
//!
//! Each is also a function value (`delayed(multi_sample)`, `client.submit(split_zones, …)`),
//! since their names also read as function values.

use std::sync::Arc;
use std::time::Duration;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FLOAT, FnPtr, INT, Map};
use skein_labs::adjacency::{self, Adjacency};
use skein_labs::dataframe::{self, Partition};
use skein_labs::matrix::Matrix;
use skein_labs::schemes::{self, LabConfig, Scheme};
use skein_labs::sweep::{self, SimulationDelay};
use skein_labs::zones::{self, Zone};
use skein_labs::{monte_carlo, response, rng, shortest_path, stats, traffic};

use crate::api::plots;
use crate::errors;
use crate::session::Session;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// The names under which native lab functions are also global function values.
const FUNCTIONS: &[&str] = &[
    "sample",
    "multi_sample",
    "multi_sample_seeded",
    "pi_estimate",
    "traffic_grid",
    "load_npy",
    "build_adj_matrix",
    "shortest_path",
    "split_zones",
    "zone_travel_times",
    "zone_samples",
    "response_to_random_fire",
    "nearest_truck_response",
    "summarize",
    "random_params",
    "costly_simulation",
    "load_csv",
    "partition_count",
    "count",
];

fn lab<T>(r: Result<T, skein_labs::error::LabError>) -> RhaiResult<T> {
    r.map_err(|e| errors::runtime(e.to_string()))
}

fn size(n: INT, what: &str) -> RhaiResult<usize> {
    usize::try_from(n).map_err(|_| errors::runtime(format!("{what} must not be negative, got {n}")))
}

fn floats(values: &Array, what: &str) -> RhaiResult<Vec<f64>> {
    plots::floats(values, what)
}

/// A matrix as nested arrays of floats.
fn nested(m: &Matrix) -> Array {
    (0..m.rows())
        .map(|r| {
            Dynamic::from(
                m.row(r)
                    .iter()
                    .map(|&x| Dynamic::from(x))
                    .collect::<Array>(),
            )
        })
        .collect()
}

fn float_array(values: Vec<f64>) -> Array {
    values.into_iter().map(Dynamic::from).collect()
}

/// How a matrix shows: its shape and the first rows.
pub(crate) fn show_matrix(m: &Matrix) -> String {
    let rows: Vec<String> = (0..m.rows().min(6))
        .map(|r| {
            let cells: Vec<String> = m.row(r).iter().take(8).map(|x| format!("{x:.2}")).collect();
            let more = if m.cols() > 8 { ", …" } else { "" };
            format!("[{}{more}]", cells.join(", "))
        })
        .collect();
    let more = if m.rows() > 6 { ",\n …" } else { "" };
    format!(
        "Matrix {}×{}\n[{}{more}]",
        m.rows(),
        m.cols(),
        rows.join(",\n ")
    )
}

/// How the other lab types show.
pub(crate) fn show(value: &Dynamic) -> Option<String> {
    if let Some(z) = value.read_lock::<Zone>() {
        let (r, c) = z.costs.shape();
        return Some(format!(
            "Zone {} ({r}×{c} at row {}, column {})",
            z.index, z.row0, z.col0
        ));
    }
    if let Some(a) = value.read_lock::<Adjacency>() {
        return Some(format!(
            "Adjacency ({} nodes, {} edges)",
            a.nodes(),
            a.edges()
        ));
    }
    if let Some(p) = value.read_lock::<Partition>() {
        let mut out = format!(
            "Partition {} ({} rows)\n{}",
            p.partition,
            p.count(),
            p.columns.join("\t")
        );
        for row in &p.rows {
            out.push('\n');
            out.push_str(&row.fields.join("\t"));
        }
        return Some(out);
    }
    None
}

/// Registers the lab types and functions, and their names as function values.
pub(crate) fn register(engine: &mut Engine, session: &Arc<Session>) {
    register_types(engine, session);
    register_monte_carlo(engine);
    register_city(engine, session);
    register_sweep_and_dataframe(engine, session);

    // A lab function's name read as a variable is its function value, unless a variable of
    // that name is in scope (a parameter `load_csv` stays the argument).
    #[allow(deprecated)] // `on_var` is "volatile", not deprecated
    engine.on_var(|name, _, ctx| {
        if !FUNCTIONS.contains(&name) || ctx.scope().contains(name) {
            return Ok(None);
        }
        FnPtr::new(name).map(|f| Some(Dynamic::from(f)))
    });
}

fn register_types(engine: &mut Engine, session: &Arc<Session>) {
    engine.register_type_with_name::<Matrix>("Matrix");
    engine.register_fn("to_string", |m: &mut Matrix| show_matrix(m));
    engine.register_fn("matrix", |rows: Array| plots::matrix_of(&rows));
    engine.register_get("rows", |m: &mut Matrix| m.rows() as INT);
    engine.register_get("cols", |m: &mut Matrix| m.cols() as INT);
    engine.register_get("shape", |m: &mut Matrix| -> Array {
        vec![
            Dynamic::from(m.rows() as INT),
            Dynamic::from(m.cols() as INT),
        ]
    });
    engine.register_fn(
        "get",
        |m: &mut Matrix, r: INT, c: INT| -> RhaiResult<FLOAT> {
            let (r, c) = (size(r, "row")?, size(c, "column")?);
            if r >= m.rows() || c >= m.cols() {
                return Err(errors::runtime(format!(
                    "({r}, {c}) is outside a {}×{} matrix",
                    m.rows(),
                    m.cols()
                )));
            }
            Ok(m.get(r, c))
        },
    );
    engine.register_indexer_get(|m: &mut Matrix, r: INT| -> RhaiResult<Array> {
        let row = size(r, "row")?;
        if row >= m.rows() {
            return Err(errors::runtime(format!(
                "row {r} is outside a matrix of {} rows",
                m.rows()
            )));
        }
        Ok(float_array(m.row(row).to_vec()))
    });
    engine.register_fn(
        "block",
        |m: &mut Matrix, r0: INT, c0: INT, rows: INT, cols: INT| -> RhaiResult<Matrix> {
            let (r0, c0, rows, cols) = (
                size(r0, "row")?,
                size(c0, "column")?,
                size(rows, "rows")?,
                size(cols, "cols")?,
            );
            if r0 + rows > m.rows() || c0 + cols > m.cols() {
                return Err(errors::runtime("the block reaches outside the matrix"));
            }
            Ok(m.block(r0, c0, rows, cols))
        },
    );
    engine.register_fn("to_array", |m: &mut Matrix| nested(m));
    engine.register_fn("values", |m: &mut Matrix| {
        float_array(m.as_slice().to_vec())
    });

    engine.register_type_with_name::<Zone>("Zone");
    engine.register_get("index", |z: &mut Zone| z.index as INT);
    engine.register_get("row0", |z: &mut Zone| z.row0 as INT);
    engine.register_get("col0", |z: &mut Zone| z.col0 as INT);
    engine.register_get("costs", |z: &mut Zone| z.costs.clone());

    engine.register_type_with_name::<Adjacency>("Adjacency");
    engine.register_fn("to_matrix", |a: &mut Adjacency| a.to_dense());
    let s = session.clone();
    engine.register_fn("imshow", move |a: Adjacency| {
        plots::show_image(&s, a.to_dense(), &Map::new())
    });
    let s = session.clone();
    engine.register_fn("imshow", move |a: Adjacency, opts: Map| {
        plots::show_image(&s, a.to_dense(), &opts)
    });

    engine.register_type_with_name::<Partition>("Partition");
    engine.register_fn("count", |p: Partition| p.count() as INT);
    engine.register_get("columns", |p: &mut Partition| -> Array {
        p.columns.iter().map(|c| Dynamic::from(c.clone())).collect()
    });
    engine.register_fn("sum", |p: &mut Partition, column: &str| lab(p.sum(column)));
    engine.register_fn("numbers", |p: &mut Partition, column: &str| {
        lab(p.numbers(column)).map(float_array)
    });
    engine.register_fn("rows", |p: &mut Partition| -> Array {
        p.rows
            .iter()
            .map(|r| {
                let row: Map = p
                    .columns
                    .iter()
                    .cloned()
                    .map(Into::into)
                    .zip(r.fields.iter().cloned().map(Dynamic::from))
                    .collect();
                Dynamic::from(row)
            })
            .collect()
    });
}

fn register_monte_carlo(engine: &mut Engine) {
    engine.register_fn("sample", || monte_carlo::sample() as INT);
    engine.register_fn("multi_sample", |n: INT| -> RhaiResult<INT> {
        Ok(monte_carlo::multi_sample(size(n, "n")? as u64) as INT)
    });
    engine.register_fn(
        "multi_sample_seeded",
        |n: INT, seed: INT| -> RhaiResult<INT> {
            Ok(monte_carlo::multi_sample_seeded(size(n, "n")? as u64, seed as u64) as INT)
        },
    );
    engine.register_fn("pi_estimate", |hits: INT, n: INT| -> RhaiResult<FLOAT> {
        Ok(monte_carlo::pi_estimate(
            size(hits, "hits")? as u64,
            size(n, "n")? as u64,
        ))
    });
}

fn register_city(engine: &mut Engine, session: &Arc<Session>) {
    engine.register_fn("traffic_grid", |n: INT, seed: INT| -> RhaiResult<Matrix> {
        lab(traffic::synthetic_city(traffic::CityConfig {
            size: size(n, "size")?,
            seed: seed as u64,
        }))
    });
    let s = session.clone();
    engine.register_fn("load_npy", move |name: &str| {
        lab(traffic::load_npy(&s.file(name)?))
    });
    engine.register_fn("build_adj_matrix", |costs: Matrix| {
        lab(adjacency::build_adj_matrix(&costs))
    });
    engine.register_fn("shortest_path", |adj: Adjacency| {
        lab(shortest_path::shortest_path(&adj))
    });
    engine.register_fn("split_zones", |grid: Matrix, k: INT| -> RhaiResult<Array> {
        Ok(lab(zones::split_zones(&grid, size(k, "k")?))?
            .into_iter()
            .map(Dynamic::from)
            .collect())
    });
    engine.register_fn("zone_travel_times", |zone: Zone| {
        lab(schemes::zone_travel_times(&zone))
    });
    engine.register_fn(
        "zone_samples",
        |zone: Zone, tt: Matrix, trucks: INT, n: INT, seed: INT| -> RhaiResult<Array> {
            let scheme = Scheme {
                name: "script",
                zones_per_side: 1,
                trucks_per_zone: size(trucks, "trucks")?,
            };
            let config = LabConfig {
                samples_per_zone: size(n, "n")?,
                bins: 1,
                seed: seed as u64,
            };
            lab(schemes::zone_samples(&zone, &tt, scheme, config)).map(float_array)
        },
    );
    engine.register_fn(
        "response_to_random_fire",
        |tt: Matrix, rows: INT, cols: INT| -> RhaiResult<FLOAT> {
            let mut rng = rng::fresh_rng();
            lab(response::response_to_random_fire(
                &tt,
                size(rows, "zone_rows")?,
                size(cols, "zone_cols")?,
                &mut rng,
            ))
        },
    );
    engine.register_fn(
        "nearest_truck_response",
        |tt: Matrix, rows: INT, cols: INT, trucks: INT| -> RhaiResult<FLOAT> {
            let mut rng = rng::fresh_rng();
            let (rows, cols, trucks) = (
                size(rows, "zone_rows")?,
                size(cols, "zone_cols")?,
                size(trucks, "trucks")?,
            );
            lab(response::nearest_truck_response(
                &tt, rows, cols, trucks, &mut rng,
            ))
        },
    );
    engine.register_fn("summarize", |values: Array| -> RhaiResult<Map> {
        let s = lab(stats::summarize(&floats(&values, "summarize values")?))?;
        let mut m = Map::new();
        m.insert("count".into(), Dynamic::from(s.count as INT));
        m.insert("mean".into(), Dynamic::from(s.mean));
        m.insert("median".into(), Dynamic::from(s.median));
        m.insert("p90".into(), Dynamic::from(s.p90));
        m.insert("max".into(), Dynamic::from(s.max));
        Ok(m)
    });
}

fn register_sweep_and_dataframe(engine: &mut Engine, session: &Arc<Session>) {
    engine.register_fn(
        "random_params",
        |rows: INT, seed: INT| -> RhaiResult<Array> {
            Ok(sweep::random_params(size(rows, "rows")?, seed as u64)
                .into_iter()
                .map(|p| Dynamic::from(float_array(p.to_vec())))
                .collect())
        },
    );
    engine.register_fn("costly_simulation", |params: Array| -> RhaiResult<FLOAT> {
        Ok(sweep::costly_simulation(
            &floats(&params, "params")?,
            SimulationDelay::None,
        ))
    });
    engine.register_fn(
        "costly_simulation",
        |params: Array, max_delay_ms: INT| -> RhaiResult<FLOAT> {
            let delay = SimulationDelay::UpTo(Duration::from_millis(size(
                max_delay_ms,
                "max_delay_ms",
            )? as u64));
            Ok(sweep::costly_simulation(&floats(&params, "params")?, delay))
        },
    );
    let s = session.clone();
    engine.register_fn(
        "load_csv",
        move |file: &str, blocksize: INT, partition: INT, schema: Array| -> RhaiResult<Partition> {
            let text = s.text(file)?;
            let schema: Vec<String> = schema.iter().map(|c| c.to_string()).collect();
            lab(dataframe::load_csv(
                &text,
                size(blocksize, "blocksize")?,
                size(partition, "partition")?,
                &schema,
            ))
        },
    );
    let s = session.clone();
    engine.register_fn(
        "partition_count",
        move |file: &str, blocksize: INT| -> RhaiResult<INT> {
            Ok(lab(dataframe::partition_count(
                &s.text(file)?,
                size(blocksize, "blocksize")?,
            ))? as INT)
        },
    );
}
