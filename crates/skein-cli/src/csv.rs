//! `skein csv`: the toy partitioned dataframe over a CSV file.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;
use skein_core::{Client, compute_all};
use skein_labs::dataframe::partition_count;
use skein_labs::drivers::dataframe::{df_count, df_mean, df_sum, load_big_df};
use skein_labs::error::LabError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file (its first line is a header and is skipped).
    file: PathBuf,
    /// Rows per partition.
    #[arg(long, default_value_t = 6)]
    blocksize: usize,
    /// Column names, comma-separated (default: the file's header line).
    #[arg(long, value_delimiter = ',')]
    schema: Option<Vec<String>>,
    /// Columns to sum (repeatable or comma-separated).
    #[arg(long, value_delimiter = ',')]
    sum: Vec<String>,
    /// Columns to average (repeatable or comma-separated).
    #[arg(long, value_delimiter = ',')]
    mean: Vec<String>,
}

pub fn run(args: &Args) -> Result<(), LabError> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| LabError::Io {
        path: args.file.display().to_string(),
        reason: e.to_string(),
    })?;
    let schema = match &args.schema {
        Some(schema) => schema.clone(),
        None => header(&text)?,
    };
    let partitions = partition_count(&text, args.blocksize)?;
    let client = Client::new();
    client.set_as_default();
    let frame = load_big_df(Arc::from(text), args.blocksize, partitions, &schema);
    let sizes: Vec<usize> = compute_all(&frame)?.iter().map(|p| p.count()).collect();
    let count = df_count(&frame).compute_on(&client)?;
    let mut sums = serde_json::Map::new();
    for column in &args.sum {
        sums.insert(
            column.clone(),
            json!(df_sum(&frame, column).compute_on(&client)?),
        );
    }
    let mut means = serde_json::Map::new();
    for column in &args.mean {
        means.insert(
            column.clone(),
            json!(df_mean(&frame, column).compute_on(&client)?),
        );
    }
    eprintln!(
        "{}: {count} rows in {partitions} partition(s) of up to {} rows {sizes:?}",
        args.file.display(),
        args.blocksize
    );
    for (column, total) in &sums {
        eprintln!("  sum({column}) = {total}");
    }
    for (column, mean) in &means {
        eprintln!("  mean({column}) = {mean}");
    }
    crate::print_json(&json!({
        "lab": "csv", "file": args.file.display().to_string(), "blocksize": args.blocksize,
        "schema": schema, "partitions": partitions, "partition_rows": sizes, "count": count,
        "sum": sums, "mean": means,
    }))
}

/// The column names on the file's first line.
fn header(text: &str) -> Result<Vec<String>, LabError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let names = reader.headers().map_err(|e| LabError::MalformedRow {
        line: 1,
        reason: e.to_string(),
    })?;
    if names.is_empty() || names.iter().all(str::is_empty) {
        return Err(LabError::MalformedRow {
            line: 1,
            reason: "the file has no header line; pass --schema".into(),
        });
    }
    Ok(names.iter().map(str::to_owned).collect())
}
