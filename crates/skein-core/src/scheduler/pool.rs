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

    /// Whether the calling thread is this pool's only thread (with wasm-bindgen-rayon absent,
    /// rayon's global pool in the browser is the page's own thread).
    pub(crate) fn is_sole_thread_here(&self) -> bool {
        match self {
            Pool::Global => {
                rayon::current_thread_index().is_some() && rayon::current_num_threads() == 1
            }
            #[cfg(not(target_family = "wasm"))]
            Pool::Owned(pool) => {
                pool.current_thread_index().is_some() && pool.current_num_threads() == 1
            }
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
