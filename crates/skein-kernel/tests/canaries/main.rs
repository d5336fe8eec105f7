//! Canaries: the plain Python each workaround for a Monty gap stands in for, run under bare
//! Monty (the `monty` crate alone: no prelude, no rewrite), expected to fail. When Monty is
//! upgraded, a canary that starts passing names the workaround to delete.

mod prelude;
mod rewrites;
mod runtime;
