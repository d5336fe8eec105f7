//! Summary statistics and histograms of response times, computed as NumPy does.
//!
//! [`Summary`] holds `np.mean`, `np.median`, `np.percentile(x, 90)` (linear interpolation,
//! NumPy's default) and `np.max`; [`Histogram`] holds `np.histogram(x, bins)`: equal-width
//! bins from the smallest to the largest value, the last bin closed on the right.

use serde::Serialize;

use crate::error::LabError;

/// Mean, median, 90th percentile and maximum of a sample.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Number of values.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median (mean of the two middle values for an even count).
    pub median: f64,
    /// 90th percentile, linearly interpolated.
    pub p90: f64,
    /// Largest value.
    pub max: f64,
}

/// Counts of values in equal-width bins: bin `i` covers `[edges[i], edges[i + 1])`, the last
/// one `[edges[bins - 1], edges[bins]]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Histogram {
    /// `bins + 1` increasing edges.
    pub edges: Vec<f64>,
    /// `bins` counts.
    pub counts: Vec<u64>,
}

/// Summarises `values`.
///
/// # Errors
/// [`LabError::InvalidParameter`] for an empty sample or a NaN value.
pub fn summarize(values: &[f64]) -> Result<Summary, LabError> {
    let sorted = sorted_checked(values)?;
    let n = sorted.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    Ok(Summary {
        count: n,
        mean,
        median,
        p90: percentile_sorted(&sorted, 90.0),
        max: sorted[n - 1],
    })
}

/// The `q`-th percentile (`0 ≤ q ≤ 100`) of already sorted values, interpolating linearly
/// between the two nearest ranks as NumPy's default method does.
fn percentile_sorted(sorted: &[f64], q: f64) -> f64 {
    let position = q / 100.0 * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    let t = position - below as f64;
    let (a, b) = (sorted[below], sorted[above]);
    // NumPy's `_lerp`: interpolate from the nearer end, so t = 1 gives b exactly.
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

/// `np.histogram(values, bins)`.
///
/// # Errors
/// [`LabError::InvalidParameter`] for no bins, an empty sample, or a NaN or infinite value
/// (an unreachable fire; NumPy refuses those too).
pub fn histogram(values: &[f64], bins: usize) -> Result<Histogram, LabError> {
    if bins == 0 {
        return Err(LabError::parameter("bins", "0; ask for at least one bin"));
    }
    let sorted = sorted_checked(values)?;
    let (mut first, mut last) = (sorted[0], sorted[sorted.len() - 1]);
    if !first.is_finite() || !last.is_finite() {
        return Err(LabError::parameter(
            "values",
            "a response time is infinite (a fire no truck can reach); check the traffic grid \
             for zero or inf costs",
        ));
    }
    if first == last {
        first -= 0.5;
        last += 0.5;
    }
    // np.linspace(first, last, bins + 1).
    let step = (last - first) / bins as f64;
    let mut edges: Vec<f64> = (0..=bins).map(|i| first + i as f64 * step).collect();
    edges[bins] = last;
    let mut counts = vec![0u64; bins];
    let norm = bins as f64 / (last - first);
    for &x in &sorted {
        // NumPy computes the bin arithmetically, then corrects it against the edges.
        let mut index = (((x - first) * norm) as usize).min(bins - 1);
        if x < edges[index] {
            index -= 1;
        } else if index + 1 < bins && x >= edges[index + 1] {
            index += 1;
        }
        counts[index] += 1;
    }
    Ok(Histogram { edges, counts })
}

fn sorted_checked(values: &[f64]) -> Result<Vec<f64>, LabError> {
    if values.is_empty() {
        return Err(LabError::parameter(
            "values",
            "the sample is empty; draw at least one",
        ));
    }
    if values.iter().any(|v| v.is_nan()) {
        return Err(LabError::parameter("values", "a value is NaN"));
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases_by_hand() {
        let s = summarize(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.count, s.mean, s.median, s.max), (4, 2.5, 2.5, 4.0));
        // Position 0.9 · 3 = 2.7 between 3 and 4.
        assert!((s.p90 - 3.7).abs() < 1e-12);
        assert_eq!(summarize(&[5.0]).unwrap().p90, 5.0);
        assert!(summarize(&[]).is_err());
        assert!(summarize(&[1.0, f64::NAN]).is_err());
    }

    #[test]
    fn histogram_edges_and_closed_last_bin() {
        let h = histogram(&[0.0, 1.0, 2.0, 3.0, 4.0], 4).unwrap();
        assert_eq!(h.edges, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(h.counts, vec![1, 1, 1, 2]);
        let constant = histogram(&[2.0, 2.0], 2).unwrap();
        assert_eq!(constant.edges, vec![1.5, 2.0, 2.5]);
        assert_eq!(constant.counts, vec![0, 2]);
        assert!(histogram(&[1.0], 0).is_err());
        assert!(histogram(&[1.0, f64::INFINITY], 3).is_err());
    }
}
