//! Tab completion against a live kernel: globals of earlier cells, attributes of Skein's
//! modules and of objects, and nothing where there is nothing to complete.

mod common;

use common::{kernel, run};
use skein_kernel::Completion;

fn complete(k: &mut skein_kernel::Kernel, code: &str) -> Completion {
    k.complete(code, code.len())
}

#[test]
fn a_bare_name_completes_to_globals_builtins_and_keywords() {
    let mut k = kernel();
    run(
        &mut k,
        "squares_total = 1\ndef square_it(x):\n    return x * x\n",
    );
    let got = complete(&mut k, "y = squ");
    assert_eq!(got.start, 4);
    assert_eq!(got.matches, ["square_it", "squares_total"]);
    assert!(
        complete(&mut k, "pri")
            .matches
            .contains(&"print".to_owned())
    );
    assert!(
        complete(&mut k, "whi")
            .matches
            .contains(&"while".to_owned())
    );
}

#[test]
fn the_preludes_own_names_are_not_offered_until_imported() {
    let mut k = kernel();
    assert!(complete(&mut k, "_skein").matches.is_empty());
    assert!(
        !complete(&mut k, "delay")
            .matches
            .contains(&"delayed".to_owned())
    );
    run(&mut k, "from dask import delayed");
    assert!(
        complete(&mut k, "delay")
            .matches
            .contains(&"delayed".to_owned())
    );
}

#[test]
fn a_module_attribute_completes_after_the_dot() {
    let mut k = kernel();
    run(&mut k, "import numpy as np");
    let got = complete(&mut k, "x = np.ar");
    assert_eq!(got.start, 7);
    for name in ["arange", "array"] {
        assert!(got.matches.contains(&name.to_owned()), "{got:?}");
    }
    assert!(got.matches.iter().all(|m| m.starts_with("ar")), "{got:?}");
}

#[test]
fn an_objects_methods_complete_after_the_dot() {
    let mut k = kernel();
    run(
        &mut k,
        "from dask.distributed import Client\nclient = Client()",
    );
    let got = complete(&mut k, "client.su");
    assert!(got.matches.contains(&"submit".to_owned()), "{got:?}");
    run(
        &mut k,
        "class Box:\n    def __init__(self):\n        self.weight_kg = 3\nbox = Box()",
    );
    // The attribute is only named in an earlier cell: the candidates come from the
    // interpreter's `hasattr`, not from the text being edited.
    assert_eq!(
        complete(&mut k, "box.weight_kg + box.wei").matches,
        ["weight_kg"]
    );
}

#[test]
fn attributes_named_only_in_an_earlier_cells_class_complete() {
    let mut k = kernel();
    run(
        &mut k,
        "class Truck:\n    def __init__(self, zone):\n        self.home_zone = zone\n    def respond_to(self, fire):\n        return fire",
    );
    run(&mut k, "truck = Truck(3)");
    assert_eq!(complete(&mut k, "truck.ho").matches, ["home_zone"]);
    assert_eq!(complete(&mut k, "truck.res").matches, ["respond_to"]);
    // A name the class only uses as a parameter is no attribute.
    assert!(complete(&mut k, "truck.zo").matches.is_empty());
}

#[test]
fn nothing_completes_where_there_is_no_name() {
    let mut k = kernel();
    run(&mut k, "import numpy as np");
    assert!(complete(&mut k, "    ").matches.is_empty());
    assert!(complete(&mut k, "undefined_thing.ar").matches.is_empty());
    assert!(complete(&mut k, "np.zeros(3).sh").matches.is_empty());
    assert!(
        k.complete("np.ar", 99)
            .matches
            .contains(&"arange".to_owned())
    );
}

#[test]
fn completing_leaves_the_notebook_as_it_was() {
    let mut k = kernel();
    run(&mut k, "import numpy as np\nn = 5");
    complete(&mut k, "np.ar");
    complete(&mut k, "n");
    assert_eq!(common::value(&mut k, "n + 1"), "6");
    assert!(
        !complete(&mut k, "_skein_n")
            .matches
            .contains(&"_skein_n".to_owned())
    );
}
