//! The first seed's toy partitioned dataframe: a CSV file read one block of rows at a time.
//!
//! The seed reads partition `p` with
//! `pd.read_csv(file, skiprows=p*blocksize, nrows=blocksize, names=schema, header=0)`.
//! Because `header=0` throws away the first line that is not skipped, partition `p` holds
//! exactly data rows `p·blocksize .. (p+1)·blocksize` (the file's own header line is never
//! data). [`load_csv`] gives the same rows, column names from `schema`, and each partition
//! keeps its own index from 0, as pandas does.
//!
//! Values stay text until a column is summed, so a partition loads whatever its cells
//! hold; [`Partition::sum`] then names the line and column of any value that is not a
//! number. A row with the wrong number of fields is refused when its partition loads.

use serde::Serialize;

use crate::error::LabError;

/// One data row: its line in the file and its fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// 1-based line number in the file (line 1 is the header).
    pub line: u64,
    /// The fields, one per schema column.
    pub fields: Vec<String>,
}

/// One partition of the toy dataframe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Partition {
    /// Partition number.
    pub partition: usize,
    /// Column names (the seed's `schema`).
    pub columns: Vec<String>,
    /// The rows; their index in the partition is their position here.
    pub rows: Vec<Row>,
}

impl Partition {
    /// Number of rows (the seed's `p.shape[0]`).
    #[must_use]
    pub fn count(&self) -> usize {
        self.rows.len()
    }

    /// A column's values as numbers.
    ///
    /// # Errors
    /// [`LabError::MissingColumn`] if the schema has no such column;
    /// [`LabError::NonNumeric`] naming the line and column of the first value that is not a
    /// number.
    pub fn numbers(&self, column: &str) -> Result<Vec<f64>, LabError> {
        let at = self.column_index(column)?;
        self.rows
            .iter()
            .map(|row| {
                let text = row.fields[at].trim();
                text.parse::<f64>().map_err(|_| LabError::NonNumeric {
                    line: row.line,
                    column: column.to_owned(),
                    value: row.fields[at].clone(),
                })
            })
            .collect()
    }

    /// Sum of a column (the seed's `p[col].sum()`).
    ///
    /// # Errors
    /// As [`Partition::numbers`].
    pub fn sum(&self, column: &str) -> Result<f64, LabError> {
        Ok(self.numbers(column)?.iter().sum())
    }

    fn column_index(&self, column: &str) -> Result<usize, LabError> {
        self.columns
            .iter()
            .position(|c| c == column)
            .ok_or_else(|| LabError::MissingColumn {
                column: column.to_owned(),
                schema: self.columns.clone(),
            })
    }
}

/// Reads partition `partition` of the CSV `text`: data rows
/// `partition·blocksize .. (partition+1)·blocksize`, named by `schema` (see the module docs).
///
/// # Errors
/// [`LabError::InvalidParameter`] for a zero blocksize or an empty schema;
/// [`LabError::MalformedRow`] for a row (of this partition) whose field count differs from
/// the schema's, or text the CSV reader cannot parse; [`LabError::PartitionOutOfRange`] for
/// a partition that starts past the last row (partition 0 of a file with no rows is empty).
pub fn load_csv<S: AsRef<str>>(
    text: &str,
    blocksize: usize,
    partition: usize,
    schema: &[S],
) -> Result<Partition, LabError> {
    if blocksize == 0 {
        return Err(LabError::parameter(
            "blocksize",
            "0; a partition needs at least one row",
        ));
    }
    if schema.is_empty() {
        return Err(LabError::parameter(
            "schema",
            "it is empty; name every column, e.g. [\"player\", \"points\"]",
        ));
    }
    let columns: Vec<String> = schema.iter().map(|c| c.as_ref().to_owned()).collect();
    let start = partition.saturating_mul(blocksize);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut total = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| LabError::MalformedRow {
            line: e.position().map_or(0, csv::Position::line),
            reason: e.to_string(),
        })?;
        if (start..start.saturating_add(blocksize)).contains(&total) {
            let line = record.position().map_or(0, csv::Position::line);
            if record.len() != columns.len() {
                return Err(LabError::MalformedRow {
                    line,
                    reason: format!(
                        "it has {} field(s) but the schema has {} ({})",
                        record.len(),
                        columns.len(),
                        columns.join(", ")
                    ),
                });
            }
            rows.push(Row {
                line,
                fields: record.iter().map(str::to_owned).collect(),
            });
        }
        total += 1;
    }
    if partition > 0 && start >= total {
        return Err(LabError::PartitionOutOfRange {
            partition,
            partitions: total.div_ceil(blocksize),
        });
    }
    Ok(Partition {
        partition,
        columns,
        rows,
    })
}

/// How many partitions of `blocksize` rows the CSV `text` has (the seed's
/// `partition_count`, which it "cheats" by knowing; this reads the file).
///
/// # Errors
/// [`LabError::InvalidParameter`] for a zero blocksize; [`LabError::MalformedRow`] for text
/// the CSV reader cannot parse.
pub fn partition_count(text: &str, blocksize: usize) -> Result<usize, LabError> {
    if blocksize == 0 {
        return Err(LabError::parameter(
            "blocksize",
            "0; a partition needs at least one row",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = 0usize;
    for record in reader.records() {
        record.map_err(|e| LabError::MalformedRow {
            line: e.position().map_or(0, csv::Position::line),
            reason: e.to_string(),
        })?;
        rows += 1;
    }
    Ok(rows.div_ceil(blocksize))
}

/// The seed's `df_count`: rows in all partitions.
#[must_use]
pub fn df_count(partitions: &[Partition]) -> usize {
    partitions.iter().map(Partition::count).sum()
}

/// The seed's `df_sum`: a column summed over all partitions.
///
/// # Errors
/// As [`Partition::sum`].
pub fn df_sum(partitions: &[Partition], column: &str) -> Result<f64, LabError> {
    partitions.iter().map(|p| p.sum(column)).sum()
}

/// Mean of a column over all partitions (`df_sum / df_count`).
///
/// # Errors
/// As [`Partition::sum`], and [`LabError::InvalidParameter`] when there are no rows.
pub fn df_mean(partitions: &[Partition], column: &str) -> Result<f64, LabError> {
    let sum = df_sum(partitions, column)?;
    match df_count(partitions) {
        0 => Err(LabError::parameter(
            "dataframe",
            "it has no rows, so no mean",
        )),
        n => Ok(sum / n as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "player,points\na,1\nb,2\nc,3\nd,4\ne,5\n";

    #[test]
    fn partitions_tile_the_rows() {
        let schema = ["player", "points"];
        let parts: Vec<Partition> = (0..3)
            .map(|p| load_csv(TEXT, 2, p, &schema).unwrap())
            .collect();
        let counts: Vec<usize> = parts.iter().map(Partition::count).collect();
        assert_eq!(counts, vec![2, 2, 1]);
        assert_eq!(
            parts[1].rows[0],
            Row {
                line: 4,
                fields: vec!["c".into(), "3".into()]
            }
        );
        assert_eq!(df_count(&parts), 5);
        assert_eq!(df_sum(&parts, "points").unwrap(), 15.0);
        assert_eq!(df_mean(&parts, "points").unwrap(), 3.0);
        assert_eq!(partition_count(TEXT, 2).unwrap(), 3);
    }

    #[test]
    fn out_of_range_partition_is_an_error() {
        let err = load_csv(TEXT, 2, 3, &["player", "points"]).unwrap_err();
        assert_eq!(
            err,
            LabError::PartitionOutOfRange {
                partition: 3,
                partitions: 3
            }
        );
        assert_eq!(
            load_csv("player,points\n", 2, 0, &["a", "b"])
                .unwrap()
                .count(),
            0
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let text = "player,points\na,1\nb,two\nc,3,extra\n";
        let schema = ["player", "points"];
        let first = load_csv(text, 2, 0, &schema).unwrap();
        let err = first.sum("points").unwrap_err();
        assert_eq!(
            err,
            LabError::NonNumeric {
                line: 3,
                column: "points".into(),
                value: "two".into()
            }
        );
        assert!(err.to_string().contains("line 3, column \"points\""));
        let missing = first.sum("rebounds").unwrap_err();
        assert!(matches!(missing, LabError::MissingColumn { .. }));
        assert!(missing.to_string().contains("player, points"));
        let malformed = load_csv(text, 2, 1, &schema).unwrap_err();
        assert!(
            matches!(malformed, LabError::MalformedRow { line: 4, .. }),
            "{malformed}"
        );
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(load_csv(TEXT, 0, 0, &["a"]).is_err());
        assert!(load_csv::<&str>(TEXT, 2, 0, &[]).is_err());
        assert!(partition_count(TEXT, 0).is_err());
    }
}
