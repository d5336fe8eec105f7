//! Where runners execute: rayon's global pool (the only one in wasm, set up by
//! wasm-bindgen-rayon), or natively a pool the scheduler owns.

pub(crate) enum Pool {
    Global,
    #[cfg(not(target_family = "wasm"))]
    Owned(rayon::ThreadPool),
}

impl Pool {
    pub(crate) fn spawn(&self, job: impl FnOnce() + Send + 'static) {
        match self {
            Pool::Global => rayon::spawn(job),
            #[cfg(not(target_family = "wasm"))]
            Pool::Owned(pool) => pool.spawn(job),
        }
    }

    /// The number of threads, the most workers that can run at once.
    pub(crate) fn threads(&self) -> usize {
        match self {
            Pool::Global => rayon::current_num_threads(),
            #[cfg(not(target_family = "wasm"))]
            Pool::Owned(pool) => pool.current_num_threads(),
        }
    }
}
