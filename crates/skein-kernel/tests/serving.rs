//! The workers' serving loop (`worker.rs`): after a function's first plain call, a worker
//! hands each result out and takes the next task's arguments without a new snippet. What a
//! task sees must not change: arguments, failures in the middle of a run of tasks, host calls,
//! keyword and non-plain calls of the same function in between, prints and worker state.

mod common;

use common::{ready, run, texts, value};

#[test]
fn a_run_of_tasks_survives_failures_keywords_and_host_calls_in_between() {
    let mut k = ready();
    run(
        &mut k,
        "import numpy as np\ndef f(x, scale=2):\n    if x % 7 == 3:\n        raise ValueError('bad ' + str(x))\n    return int(np.array([x, x]).sum()) * scale // 2\n",
    );
    // Every seventh task fails; the ones after it, on the same worker, still get their own
    // arguments and give their own results.
    assert_eq!(
        value(
            &mut k,
            "fs = client.map(f, list(range(60)), pure=False)\nwait(fs)\n[f_.status for f_ in fs].count('error'), [fs[i].result() for i in (0, 4, 58)]"
        ),
        "(9, [0, 8, 116])"
    );
    assert_eq!(value(&mut k, "fs[10].exception()"), "ValueError('bad 10')");
    // A call with keywords runs as a snippet of its own; the plain calls after it start the
    // loop again.
    assert_eq!(
        value(
            &mut k,
            "a = client.submit(f, 5, scale=10, pure=False).result()\nb = client.gather(client.map(f, [1, 2], pure=False))\na, b"
        ),
        "(50, [2, 4])"
    );
}

#[test]
fn a_served_task_s_prints_and_its_worker_s_state_are_its_own() {
    let mut k = ready();
    run(
        &mut k,
        "seen = []\ndef note(x):\n    seen.append(x)\n    print('task', x, end='')\n    return len(seen)\n",
    );
    let (outputs, _) = run(
        &mut k,
        "counts = client.gather(client.map(note, list(range(40)), pure=False))",
    );
    // Each print is a whole line of its own task, though no newline ended it.
    let mut lines = texts(&outputs);
    lines.sort();
    let mut expected: Vec<String> = (0..40).map(|i| format!("task {i}")).collect();
    expected.sort();
    assert_eq!(lines, expected);
    // Each thread that runs them keeps its copy of `seen` from task to task, as a Dask
    // worker keeps a function's globals: the counts one thread returns are 1, 2, 3, …
    let counts = value(&mut k, "sorted(counts)");
    let numbers: Vec<u32> = counts
        .trim_matches(|c| c == '[' || c == ']')
        .split(", ")
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 40);
    let threads = numbers.iter().filter(|&&n| n == 1).count();
    assert!((1..=3).contains(&threads), "{counts}");
    for n in &numbers {
        let below = numbers.iter().filter(|&&m| m == n - 1).count();
        let here = numbers.iter().filter(|&m| m == n).count();
        assert!(*n == 1 || below >= here, "{counts}");
    }
}

#[test]
fn futures_that_share_a_state_take_it_whole_and_mixed_ones_each_their_own() {
    let mut k = ready();
    run(
        &mut k,
        "from dask.distributed import wait\ndef same(x):\n    return x * 2\ndef mixed(x):\n    return [x, str(x), float(x)][x % 3]\n",
    );
    // All ints: the gather hands one type for all (`host/futures.rs`).
    assert_eq!(
        value(
            &mut k,
            "fs = client.map(same, range(50))\nr = client.gather(fs)\nsorted(set(repr(f).split(', key')[0] for f in fs))"
        ),
        "['<Future: finished, type: int']"
    );
    // Three types: each future keeps its own, from the gather and from a refresh alike.
    let mixed = "[repr(f).split(', key')[0].split('type: ')[1] for f in ms[:4]]";
    run(
        &mut k,
        "ms = client.map(mixed, range(30))\nq = client.gather(ms)",
    );
    assert_eq!(value(&mut k, mixed), "['int', 'str', 'float', 'int']");
    run(
        &mut k,
        "ms = client.map(mixed, range(30), pure=False)\nwait(ms)",
    );
    assert_eq!(value(&mut k, mixed), "['int', 'str', 'float', 'int']");
    // A wait refreshes a list of futures in one state when they share it.
    assert_eq!(
        value(
            &mut k,
            "gs = client.map(same, range(40), pure=False)\nwait(gs)\nsorted(set(f.status + ' ' + f._type for f in gs))"
        ),
        "['finished int']"
    );
}

#[test]
fn gathered_futures_show_finished_with_their_results_types_and_failed_ones_their_error() {
    let mut k = ready();
    run(
        &mut k,
        "import numpy as np\ndef kind(x):\n    if x == 3:\n        raise ValueError('three')\n    return [1, 'a', None, 0, np.array([x])][x]\n",
    );
    // A gather that succeeds sets each future's state from its result, without asking the
    // host: the reprs, which cannot ask it, show the types.
    assert_eq!(
        value(
            &mut k,
            "fs = client.map(kind, [0, 1, 2, 4], pure=False)\nr = client.gather(fs)\n[repr(f).split(', key')[0] for f in fs]"
        ),
        "['<Future: finished, type: int', '<Future: finished, type: str', '<Future: finished, type: NoneType', '<Future: finished, type: numpy.ndarray']"
    );
    // One that raises still leaves every future's state as the host has it.
    run(
        &mut k,
        "bad = client.map(kind, [0, 3], pure=False)\ntry:\n    client.gather(bad)\nexcept ValueError:\n    pass\n",
    );
    assert_eq!(
        value(&mut k, "[repr(f).split(', key')[0] for f in bad]"),
        "['<Future: finished, type: int', '<Future: error']"
    );
}
