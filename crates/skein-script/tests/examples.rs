//! Every example notebook runs top to bottom through the kernel, with real results checked.

mod common;

use common::{example, run_notebook, value};
use skein_labs::matrix::Matrix;
use skein_labs::schemes::{self, LabConfig, Scheme};
use skein_labs::traffic::{self, CityConfig};
use skein_script::{Cell, Kernel, Output, Plot};

fn values(outputs: &[Vec<Output>]) -> Vec<&str> {
    outputs
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Output::Value { display, .. } => Some(display.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_example_is_a_notebook_with_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    for name in names {
        let nb = example(name.to_str().unwrap());
        assert!(nb.code_cells().count() >= 5, "{}", nb.title);
    }
}

#[test]
fn delayed_basics() {
    let mut kernel = Kernel::new();
    let outputs = run_notebook(&mut kernel, &example("delayed-basics.json"));
    let shown = values(&outputs);
    assert!(shown[0].starts_with("Delayed('square-"), "{shown:?}");
    assert!(shown.contains(&"81"), "{shown:?}");
    assert!(shown.contains(&"9"), "{shown:?}");
    assert_eq!(shown.last(), Some(&"29"));
    let graphs = outputs.iter().flatten().filter(|o| matches!(o, Output::Graph { svg, dot } if svg.contains("<svg") && dot.contains("square"))).count();
    assert_eq!(graphs, 2);
}

#[test]
fn monte_carlo_pi() {
    let mut kernel = Kernel::new();
    run_notebook(&mut kernel, &example("monte-carlo-pi.json"));
    let pi: f64 = value(&mut kernel, "pi").parse().unwrap();
    assert!((pi - std::f64::consts::PI).abs() < 0.01, "{pi}");
    let converged: f64 = value(&mut kernel, "new_estimate").parse().unwrap();
    assert!(
        (converged - std::f64::consts::PI).abs() < 0.01,
        "{converged}"
    );
    // the pure surprise: same key, same result; pure: false gives a new one
    assert_eq!(
        value(&mut kernel, "sample2.key == sample_future.key"),
        "true"
    );
    assert_eq!(
        value(&mut kernel, "sample3.key != sample_future.key"),
        "true"
    );
    assert_eq!(
        value(&mut kernel, "r4.result()"),
        "[(), (), (), 7, (), (), -1, -2]"
    );
}

#[test]
fn toy_dataframe() {
    let mut kernel = Kernel::new();
    let outputs = run_notebook(&mut kernel, &example("toy-dataframe.json"));
    let shown = values(&outputs);
    assert_eq!(&shown[shown.len() - 2..], ["14", "105.0"]);
    let texts: Vec<&Output> = outputs.iter().flatten().collect();
    assert!(texts.contains(&&Output::Text {
        text: "Count 14".into()
    }));
    assert!(texts.contains(&&Output::Text {
        text: "Sum(points) 105.0".into()
    }));
}

#[test]
fn emergency_services_statistics_equal_the_labs() {
    let mut kernel = Kernel::new();
    let outputs = run_notebook(&mut kernel, &example("emergency-services.json"));
    let Some(Output::Table(table)) = outputs.last().and_then(|o| o.last()) else {
        panic!("the last cell shows a table")
    };
    let grid: Matrix = traffic::synthetic_city(CityConfig {
        size: 16,
        seed: 2024,
    })
    .unwrap();
    let config = LabConfig {
        samples_per_zone: 100,
        bins: 20,
        seed: 7,
    };
    let col = |name: &str| table.columns.iter().position(|c| c == name).unwrap();
    for (row, (k, trucks)) in table.rows.iter().zip([(4, 1), (2, 4), (1, 16)]) {
        let scheme = Scheme {
            name: "",
            zones_per_side: k,
            trucks_per_zone: trucks,
        };
        let native = schemes::run_scheme(&grid, scheme, config).unwrap().summary;
        assert_eq!(row[col("samples")], Cell::Int(native.count as i64));
        assert_eq!(row[col("mean")], Cell::Float(native.mean));
        assert_eq!(row[col("median")], Cell::Float(native.median));
        assert_eq!(row[col("p90")], Cell::Float(native.p90));
        assert_eq!(row[col("max")], Cell::Float(native.max));
    }
    let images = outputs
        .iter()
        .flatten()
        .filter(|o| matches!(o, Output::Plot(Plot::Image { .. })))
        .count();
    assert_eq!(images, 3);
}

#[test]
fn parallel_sweep() {
    let mut kernel = Kernel::new();
    let outputs = run_notebook(&mut kernel, &example("parallel-sweep.json"));
    let tables: Vec<_> = outputs
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Output::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.last().unwrap().rows.len(), 1000);
    assert_eq!(
        tables.last().unwrap().columns,
        ["param_a", "param_b", "param_c", "param_d", "result"]
    );
    let mean: f64 = value(&mut kernel, "mean(results)").parse().unwrap();
    assert!((mean - 2.0).abs() < 0.1, "{mean}");
    assert_eq!(
        values(&outputs).last(),
        Some(&"true"),
        "the bag gives the same results"
    );
    assert!(outputs.iter().flatten().any(|o| matches!(o, Output::File { name, text } if name == "simulation_result.csv" && text.starts_with("param_a,"))));
}
