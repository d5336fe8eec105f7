//! [`RewrittenSource`]: text the rewriter produced, ready for Monty.

use std::fmt;

/// Python text after the kernel's rewrites (`cell::prepare`, [`render`](super::render)).
///
/// Only the rewriter makes one, and it only reads plain text (`&str`), never one of these:
/// so rewritten text — a cell's, or a function's captured for the workers — cannot be
/// rewritten a second time (`_skein_for(_skein_for(xs))`). Workers run a capsule's
/// `RewrittenSource` as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RewrittenSource(String);

impl RewrittenSource {
    /// Wraps the rewriter's output.
    pub(in crate::rewrite) fn new(text: String) -> RewrittenSource {
        RewrittenSource(text)
    }

    /// Rewritten text for a unit test that needs one without running the rewriter.
    #[cfg(test)]
    pub(crate) fn for_test(text: &str) -> RewrittenSource {
        RewrittenSource(text.to_owned())
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Reshapes the text without rewriting it again (indentation, a wrapper around it):
    /// `reshape` must not add Python the rewrites would have changed.
    pub(crate) fn map(self, reshape: impl FnOnce(String) -> String) -> RewrittenSource {
        RewrittenSource(reshape(self.0))
    }

    /// Appends `other` on lines of its own: rewritten text after rewritten text.
    pub(crate) fn append_lines(&mut self, other: &RewrittenSource) {
        self.0.push('\n');
        self.0.push_str(&other.0);
        self.0.push('\n');
    }
}

impl fmt::Display for RewrittenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<&str> for RewrittenSource {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}
