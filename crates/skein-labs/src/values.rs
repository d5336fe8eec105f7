//! How the labs' types travel through the engine.
//!
//! A task's arguments and results must be [`Data`](skein_core::Data): shareable, cloneable,
//! and able to say their size for the dashboard's "memory by key" ([`ApproxSize`]). Pure
//! calls also hash their arguments into the task's key ([`Tokenize`]), so that the same zone
//! or the same parameters are computed once. This module gives the labs' types both.

use std::hash::Hasher;
use std::mem::size_of;

use skein_core::{ApproxSize, TokenHasher, Tokenize};

use crate::dataframe::{Partition, Row};
use crate::matrix::Matrix;
use crate::placement::{Placement, PlacementReport};
use crate::schemes::LabConfig;
use crate::sweep::SimulationDelay;
use crate::zones::Zone;

impl ApproxSize for Matrix {
    fn approx_size(&self) -> usize {
        size_of::<Self>() + std::mem::size_of_val(self.as_slice())
    }
}

impl Tokenize for Matrix {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_str("Matrix");
        self.rows().tokenize(h);
        self.cols().tokenize(h);
        self.as_slice().tokenize(h);
    }
}

impl ApproxSize for Zone {
    fn approx_size(&self) -> usize {
        size_of::<Self>() - size_of::<Matrix>() + self.costs.approx_size()
    }
}

impl Tokenize for Zone {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_str("Zone");
        (self.index, self.row0, self.col0).tokenize(h);
        self.costs.tokenize(h);
    }
}

impl ApproxSize for LabConfig {
    const FLAT: bool = true;
    fn approx_size(&self) -> usize {
        size_of::<Self>()
    }
}

impl Tokenize for LabConfig {
    fn tokenize(&self, h: &mut TokenHasher) {
        h.write_str("LabConfig");
        (self.samples_per_zone, self.bins, self.seed).tokenize(h);
    }
}

impl ApproxSize for SimulationDelay {
    const FLAT: bool = true;
    fn approx_size(&self) -> usize {
        size_of::<Self>()
    }
}

impl Tokenize for SimulationDelay {
    fn tokenize(&self, h: &mut TokenHasher) {
        let (tag, duration) = match self {
            Self::None => (0, std::time::Duration::ZERO),
            Self::Fixed(d) => (1, *d),
            Self::UpTo(d) => (2, *d),
        };
        h.write_u8(tag);
        h.write_u128(duration.as_nanos());
    }
}

impl ApproxSize for Placement {
    fn approx_size(&self) -> usize {
        size_of::<Self>()
            + self.nodes.len() * size_of::<usize>()
            + self.positions.len() * size_of::<(usize, usize)>()
    }
}

impl ApproxSize for PlacementReport {
    fn approx_size(&self) -> usize {
        size_of::<Self>() - size_of::<Placement>() + self.optimized.approx_size()
    }
}

impl ApproxSize for Row {
    fn approx_size(&self) -> usize {
        size_of::<u64>() + self.fields.approx_size()
    }
}

impl ApproxSize for Partition {
    fn approx_size(&self) -> usize {
        size_of::<usize>() + self.columns.approx_size() + self.rows.approx_size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skein_core::Key;

    #[test]
    fn sizes_grow_with_content() {
        let small = Matrix::from_fn(2, 2, |_, _| 1.0);
        let big = Matrix::from_fn(20, 20, |_, _| 1.0);
        assert!(big.approx_size() >= 400 * 8);
        assert!(big.approx_size() > small.approx_size());
    }

    #[test]
    fn tokens_follow_values() {
        let a = Matrix::from_fn(2, 2, |r, c| (r + c) as f64);
        let b = Matrix::from_fn(2, 2, |r, c| (r * c) as f64);
        assert_eq!(Key::pure("f", &a), Key::pure("f", &a.clone()));
        assert_ne!(Key::pure("f", &a), Key::pure("f", &b));
        let fixed = SimulationDelay::Fixed(std::time::Duration::from_millis(1));
        let up_to = SimulationDelay::UpTo(std::time::Duration::from_millis(1));
        assert_ne!(Key::pure("f", &fixed), Key::pure("f", &up_to));
    }
}
