//! The names of the native lab functions `skein.labs` offers (`labs.rs` runs them): one list,
//! from which the prelude's bindings are generated (`interp`) and which the export to Dask
//! writes its `skein_labs` stand-ins for (`export`). A shared leaf: it uses no module.

/// Native lab functions `skein.labs` offers.
pub(crate) const LAB_FUNCTIONS: &[&str] = &[
    "multi_sample",
    "traffic_grid",
    "build_adj_matrix",
    "shortest_path",
    "split_zones",
    "response_to_random_fire",
    "nearest_truck_response",
    "summarize",
    "random_params",
];
