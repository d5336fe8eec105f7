//! A pool of one thread, waited on from that thread: the browser's page when it gets no
//! workers (rayon's global pool is then the page's own thread). Nobody else can run the
//! tasks, so the wait must run them rather than park. Its own test binary: it sets rayon's
//! global pool.

use std::sync::mpsc;
use std::time::Duration;

use skein_core::{Client, delayed, sum};

#[test]
fn a_wait_on_the_only_thread_of_the_pool_runs_the_tasks_itself() {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("the global pool is built once, here");
    let (send, receive) = mpsc::channel();
    rayon::spawn(move || {
        let client = Client::new();
        let inc = delayed(|x: u64| x + 1);
        let total = sum((0..100_u64).map(|i| inc.call(i))).compute_on(&client);
        let _ = send.send(total.map_err(|e| e.to_string()));
    });
    let total = receive
        .recv_timeout(Duration::from_secs(30))
        .expect("the wait finished instead of parking the pool's only thread");
    assert_eq!(total, Ok(5_050));
}
