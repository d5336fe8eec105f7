//! Issue 20's notebook natively: rebinding the results of many large maps and computes must
//! not grow memory, since the kernel releases what no variable holds. Peak RSS (the
//! child's `ru_maxrss`, from `wait4`) of twelve maps against two, and of the whole notebook
//! against its first two maps and first compute alone.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test, as wanted.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Command, Stdio};

use skein_kernel::{CellKind, Notebook, NotebookCell};

/// Tasks per cell: large enough that a leak dwarfs the interpreter and the binary, small
/// enough for a debug build (the engine unoptimised) to run the notebook in well under a
/// minute on two cores.
const N: usize = 20_000;

fn notebook(maps: usize, computes: usize) -> Notebook {
    let mut cells = vec![NotebookCell::new(
        CellKind::Code,
        "import dask\nfrom dask import delayed\nfrom dask.distributed import Client\nclient = Client()\n\
         def inc(x):\n    return x + 1\n\n@delayed\ndef add(a, b):\n    return a + b\n",
    )];
    for _ in 0..maps {
        cells.push(NotebookCell::new(
            CellKind::Code,
            format!("r = client.gather(client.map(inc, list(range({N})), pure=False))"),
        ));
    }
    for _ in 0..computes {
        cells.push(NotebookCell::new(
            CellKind::Code,
            format!("t = dask.compute(*[add(i, i) for i in range({N})])"),
        ));
    }
    cells.push(NotebookCell::new(CellKind::Code, "print(r[-1])"));
    Notebook {
        title: "memory".into(),
        cells,
    }
}

/// Runs `nb` with `skein run` and returns the process's peak resident set, in KiB.
// The child is reaped by `wait4`, which `Child::wait` cannot replace: only it gives the rusage.
#[allow(clippy::zombie_processes)]
fn peak_rss_kib(dir: &Path, name: &str, nb: &Notebook) -> i64 {
    let path = dir.join(name);
    std::fs::write(&path, nb.to_ipynb()).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(["run", path.to_str().unwrap()])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills; zeroed is a valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unreaped child; `status` and `usage` are valid for writes.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "skein run {name} failed (status {status})"
    );
    usage.ru_maxrss
}

#[test]
fn rebinding_many_maps_and_computes_keeps_peak_rss_flat() {
    let dir = std::env::temp_dir().join(format!("skein-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let two = peak_rss_kib(&dir, "two.ipynb", &notebook(2, 0));
    let twelve = peak_rss_kib(&dir, "twelve.ipynb", &notebook(12, 0));
    let first = peak_rss_kib(&dir, "first.ipynb", &notebook(2, 1));
    let all = peak_rss_kib(&dir, "all.ipynb", &notebook(12, 6));
    eprintln!(
        "peak RSS: two maps {two} KiB, twelve maps {twelve} KiB, two maps and a compute \
         {first} KiB, twelve maps and six computes {all} KiB"
    );
    assert!(
        twelve * 2 <= two * 3,
        "twelve maps peaked at {twelve} KiB, more than 1.5x the {two} KiB of two"
    );
    // One compute of N pending `Delayed`s peaks well above a map of N futures by itself
    // (each Python `Delayed` carries its attribute proxies), so repeating cells is measured
    // against one cell of each kind: what a leak would grow.
    assert!(
        all * 2 <= first * 3,
        "the whole notebook peaked at {all} KiB, more than 1.5x the {first} KiB of its first \
         cells of each kind"
    );
    std::fs::remove_dir_all(&dir).ok();
}
