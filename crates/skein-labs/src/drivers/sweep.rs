//! The second seed's parameter sweep on the engine: `client.map`, delayed calls, and a
//! `Bag` for when there are too many rows for one task each.

use skein_core::{Bag, Client, Delayed, delayed};

use crate::error::LabError;
use crate::sweep::{Params, SimulationDelay, SweepTable};

/// Task: the seed's `costly_simulation` on one row.
fn costly_simulation(params: Params, delay: SimulationDelay) -> f64 {
    crate::sweep::costly_simulation(&params, delay)
}

/// `client.map(costly_simulation, input_params.values)` then `client.gather`, joined back
/// to the inputs. Pure keys, as in the seed: equal rows are simulated once.
///
/// # Errors
/// [`LabError::Engine`] if a task fails.
pub fn sweep_with_map(
    client: &Client,
    params: Vec<Params>,
    delay: SimulationDelay,
) -> Result<SweepTable, LabError> {
    let futures = client.map(costly_simulation, params.iter().map(|&p| (p, delay)));
    let results = client.gather(&futures)?;
    SweepTable::join(params, results)
}

/// The seed's delayed version: one lazy `costly_simulation` per row (nothing runs until
/// the caller computes them, e.g. with [`skein_core::compute_all`]).
#[must_use]
pub fn sweep_delayed(params: &[Params], delay: SimulationDelay) -> Vec<Delayed<f64>> {
    let simulate = delayed(costly_simulation);
    params.iter().map(|&p| simulate.call(p, delay)).collect()
}

/// The seed's `db.from_sequence(rows, npartitions).map(costly_simulation)`: the rows in
/// `npartitions` tasks instead of one task each.
#[must_use]
pub fn sweep_bag(params: Vec<Params>, npartitions: usize, delay: SimulationDelay) -> Bag<f64> {
    Bag::from_sequence(params, npartitions).map(move |p| crate::sweep::costly_simulation(p, delay))
}

/// The analysis through the bag: how many results exceed `threshold`, and their sum
/// (`filter`, then `count` and `sum` folded per partition).
#[must_use]
pub fn bag_above(results: &Bag<f64>, threshold: f64) -> (Delayed<usize>, Delayed<f64>) {
    let above = results.filter(move |r| *r > threshold);
    (above.count(), above.sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::random_params;
    use skein_core::compute_all;

    #[test]
    fn map_delayed_and_bag_agree_with_the_loop() {
        let client = Client::new();
        client.set_as_default();
        let params = random_params(300, 4);
        let expected: Vec<f64> = params.iter().map(|p| p.iter().sum()).collect();
        let table = sweep_with_map(&client, params.clone(), SimulationDelay::None).unwrap();
        assert_eq!(table.results, expected);
        let lazy = compute_all(&sweep_delayed(&params, SimulationDelay::None)).unwrap();
        assert_eq!(lazy, expected);
        let bag = sweep_bag(params.clone(), 10, SimulationDelay::None);
        assert_eq!(bag.npartitions(), 10);
        assert_eq!(bag.compute_on(&client).unwrap(), expected);
        let (count, total) = bag_above(&bag, 2.0);
        let above: Vec<f64> = expected.iter().copied().filter(|r| *r > 2.0).collect();
        assert_eq!(count.compute_on(&client).unwrap(), above.len());
        let sum = total.compute_on(&client).unwrap();
        assert!((sum - above.iter().sum::<f64>()).abs() < 1e-9);
    }
}
