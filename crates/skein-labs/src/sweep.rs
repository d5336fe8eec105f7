//! The second seed's parameter sweep: a "costly simulation" over a table of random inputs.
//!
//! [`costly_simulation`] returns the sum of its parameters, as the seed's does. The seed
//! also sleeps `random.random()` seconds to imitate real work; here that is a
//! [`SimulationDelay`], [`SimulationDelay::None`] by default so tests and benchmarks stay
//! fast. A delay is a real `std::thread::sleep` on the worker running the task: natively it
//! just waits; in the browser it blocks that Web Worker for the whole delay (and must never
//! be used on the page's main thread, where the browser forbids blocking waits).
//!
//! [`random_params`] builds the seed's `input_params` (N rows of `param_a..param_d`,
//! uniform on `[0, 1)`), and [`SweepTable`] joins results back to it for the analysis: the
//! mean result, the rows with `result > 2`, and CSV export like `DataFrame.to_csv`.

use std::time::Duration;

use rand::RngExt;
use serde::Serialize;

use crate::error::LabError;
use crate::rng::{fresh_rng, rng_from_seed};

/// Names of the seed's four input columns.
pub const PARAM_COLUMNS: [&str; 4] = ["param_a", "param_b", "param_c", "param_d"];

/// One row of simulation inputs.
pub type Params = [f64; 4];

/// How long [`costly_simulation`] pretends to work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SimulationDelay {
    /// No delay (the default).
    #[default]
    None,
    /// Exactly this long.
    Fixed(Duration),
    /// A uniformly random time up to this long, fresh on each call (the seed sleeps up to
    /// one second).
    UpTo(Duration),
}

/// The seed's `costly_simulation`: the sum of `params`, after the optional `delay`.
///
/// In wasm a delay blocks the worker that runs it (see the [module docs](self)).
#[must_use]
pub fn costly_simulation(params: &[f64], delay: SimulationDelay) -> f64 {
    let pause = match delay {
        SimulationDelay::None => Duration::ZERO,
        SimulationDelay::Fixed(d) => d,
        SimulationDelay::UpTo(max) => max.mul_f64(fresh_rng().random::<f64>()),
    };
    if !pause.is_zero() {
        std::thread::sleep(pause);
    }
    params.iter().sum()
}

/// The seed's `input_params`: `rows` rows of four uniform `[0, 1)` parameters from `seed`.
#[must_use]
pub fn random_params(rows: usize, seed: u64) -> Vec<Params> {
    let mut rng = rng_from_seed(seed);
    (0..rows)
        .map(|_| std::array::from_fn(|_| rng.random::<f64>()))
        .collect()
}

/// The inputs with the simulation's result joined on (the seed's `output` frame).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepTable {
    /// Input rows, in order.
    pub params: Vec<Params>,
    /// `results[i]` is the result for `params[i]`.
    pub results: Vec<f64>,
}

impl SweepTable {
    /// Joins `results` to `params` row by row.
    ///
    /// # Errors
    /// [`LabError::InvalidParameter`] if the lengths differ.
    pub fn join(params: Vec<Params>, results: Vec<f64>) -> Result<Self, LabError> {
        if params.len() != results.len() {
            return Err(LabError::parameter(
                "results",
                format!(
                    "{} results for {} parameter rows; pass one result per row",
                    results.len(),
                    params.len()
                ),
            ));
        }
        Ok(Self { params, results })
    }

    /// Mean result (`output['result'].mean()`); `NaN` for an empty table, like pandas.
    #[must_use]
    pub fn mean(&self) -> f64 {
        self.results.iter().sum::<f64>() / self.results.len() as f64
    }

    /// The rows whose result exceeds `threshold` (`output[output['result'] > 2]`), with
    /// their original row numbers.
    #[must_use]
    pub fn filter_greater(&self, threshold: f64) -> Vec<(usize, Params, f64)> {
        self.params
            .iter()
            .zip(&self.results)
            .enumerate()
            .filter(|(_, (_, r))| **r > threshold)
            .map(|(i, (p, r))| (i, *p, *r))
            .collect()
    }

    /// CSV text of `rows` as pandas' `to_csv` writes a frame: an unnamed index column, the
    /// four parameters and `result`.
    #[must_use]
    pub fn to_csv(rows: &[(usize, Params, f64)]) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header = std::iter::once("")
            .chain(PARAM_COLUMNS)
            .chain(std::iter::once("result"));
        // Writing to a Vec cannot fail.
        let mut write = |fields: Vec<String>| writer.write_record(&fields).is_ok();
        write(header.map(str::to_owned).collect());
        for (index, params, result) in rows {
            let mut fields = vec![index.to_string()];
            fields.extend(params.iter().map(f64::to_string));
            fields.push(result.to_string());
            write(fields);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_sums_its_parameters() {
        assert_eq!(
            costly_simulation(&[1.0, 2.0, 3.0, 4.0], SimulationDelay::None),
            10.0
        );
        let start = std::time::Instant::now();
        assert_eq!(
            costly_simulation(&[1.0], SimulationDelay::Fixed(Duration::from_millis(20))),
            1.0
        );
        assert!(start.elapsed() >= Duration::from_millis(20));
        let short = SimulationDelay::UpTo(Duration::from_millis(5));
        assert_eq!(costly_simulation(&[0.5, 0.25], short), 0.75);
    }

    #[test]
    fn sweep_statistics_match_irwin_hall() {
        // A sum of four U(0,1) has mean 2 and variance 4/12, and exceeds 2 with
        // probability 1/2 by symmetry.
        let n = 100_000;
        let params = random_params(n, 12);
        let results: Vec<f64> = params
            .iter()
            .map(|p| costly_simulation(p, SimulationDelay::None))
            .collect();
        let table = SweepTable::join(params, results).unwrap();
        let se = (1.0 / 3.0 / n as f64).sqrt();
        assert!((table.mean() - 2.0).abs() < 5.0 * se, "{}", table.mean());
        let above = table.filter_greater(2.0).len() as f64 / n as f64;
        assert!(
            (above - 0.5).abs() < 5.0 * (0.25 / n as f64).sqrt(),
            "{above}"
        );
        assert!(
            table
                .params
                .iter()
                .flatten()
                .all(|v| (0.0..1.0).contains(v))
        );
    }

    #[test]
    fn csv_export_round_trips() {
        let params = random_params(5, 1);
        let results: Vec<f64> = params.iter().map(|p| p.iter().sum()).collect();
        let table = SweepTable::join(params, results).unwrap();
        let rows = table.filter_greater(f64::NEG_INFINITY);
        let text = SweepTable::to_csv(&rows);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            vec!["", "param_a", "param_b", "param_c", "param_d", "result"]
        );
        let parsed: Vec<f64> = reader
            .records()
            .map(|r| r.unwrap()[5].parse().unwrap())
            .collect();
        assert_eq!(parsed, table.results);
        assert!(SweepTable::join(vec![[0.0; 4]], vec![]).is_err());
    }
}
