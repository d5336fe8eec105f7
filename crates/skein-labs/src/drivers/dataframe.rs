//! The first seed's toy dataframe on the engine: partitions as delayed `load_csv` calls,
//! and `count`, `sum` and `mean` as lazy graphs over them.

use std::sync::Arc;

use skein_core::{Delayed, delayed, sum};

use crate::dataframe::Partition;
use crate::error::LabError;

/// Task: the seed's `load_csv` (the text is shared, not copied, between partitions).
fn load_csv(
    text: Arc<str>,
    blocksize: usize,
    partition: usize,
    schema: Vec<String>,
) -> Result<Partition, LabError> {
    crate::dataframe::load_csv(&text, blocksize, partition, &schema)
}

/// Task: one partition's column sum.
fn partition_sum(partition: Partition, column: String) -> Result<f64, LabError> {
    partition.sum(&column)
}

/// Task: sum / count.
fn mean(total: f64, count: usize) -> Result<f64, LabError> {
    match count {
        0 => Err(LabError::parameter(
            "dataframe",
            "it has no rows, so no mean",
        )),
        n => Ok(total / n as f64),
    }
}

/// The seed's `load_big_df` with `load_csv = dask.delayed(load_csv)`: one lazy partition
/// per block of `blocksize` rows.
#[must_use]
pub fn load_big_df(
    text: Arc<str>,
    blocksize: usize,
    partition_count: usize,
    schema: &[String],
) -> Vec<Delayed<Partition>> {
    let load = delayed(load_csv);
    (0..partition_count)
        .map(|i| load.call(Arc::clone(&text), blocksize, i, schema.to_vec()))
        .collect()
}

/// The seed's `df_count` on a delayed frame: `sum(p.shape[0] for p in df)`, lazily.
#[must_use]
pub fn df_count(partitions: &[Delayed<Partition>]) -> Delayed<usize> {
    sum(partitions.iter().map(|p| p.map(Partition::count)))
}

/// The seed's `df_sum` on a delayed frame: `sum(p[col].sum() for p in df)`, lazily.
#[must_use]
pub fn df_sum(partitions: &[Delayed<Partition>], column: &str) -> Delayed<f64> {
    let part_sum = delayed(partition_sum).named("sum");
    sum(partitions
        .iter()
        .map(|p| part_sum.call(p, column.to_owned())))
}

/// Mean of a column, lazily: [`df_sum`] over [`df_count`].
#[must_use]
pub fn df_mean(partitions: &[Delayed<Partition>], column: &str) -> Delayed<f64> {
    delayed(mean).call(df_sum(partitions, column), df_count(partitions))
}

#[cfg(test)]
mod tests {
    use super::*;
    use skein_core::Client;

    const TEXT: &str = "player,points\na,1\nb,2\nc,3\nd,4\ne,5\nf,6\ng,7\n";

    fn schema() -> Vec<String> {
        vec!["player".into(), "points".into()]
    }

    #[test]
    fn lazy_operations_match_the_rows() {
        let client = Client::new();
        let frame = load_big_df(Arc::from(TEXT), 3, 3, &schema());
        assert_eq!(df_count(&frame).compute_on(&client).unwrap(), 7);
        assert_eq!(df_sum(&frame, "points").compute_on(&client).unwrap(), 28.0);
        assert_eq!(df_mean(&frame, "points").compute_on(&client).unwrap(), 4.0);
        let last = frame[2].compute_on(&client).unwrap();
        assert_eq!(last.count(), 1);
    }

    #[test]
    fn errors_reach_the_caller_with_line_and_column() {
        let client = Client::new();
        let text = "player,points\na,1\nb,x\n";
        let frame = load_big_df(Arc::from(text), 1, 2, &schema());
        let err = LabError::from(df_sum(&frame, "points").compute_on(&client).unwrap_err());
        assert!(
            err.to_string().contains("line 3, column \"points\""),
            "{err}"
        );
        let missing = df_sum(&frame, "assists").compute_on(&client).unwrap_err();
        assert!(
            missing.to_string().contains("no column \"assists\""),
            "{missing}"
        );
    }
}
