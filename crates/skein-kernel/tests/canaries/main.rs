//! Canaries: plain Python that Monty 1.4 gets wrong, one per workaround Skein keeps for it.
//! When Monty is upgraded, a canary that fails names the workaround to delete.

mod prelude;
