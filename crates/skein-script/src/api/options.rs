//! Keyword options as an object map, the script's stand-in for Python's keyword arguments:
//! `client.submit(f, x, #{ pure: false })`, `delayed(f, #{ pure: true })`.

use rhai::{Dynamic, EvalAltResult, Map};

use crate::errors;

/// The options of `delayed`, `submit` and `map`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Options {
    /// Equal calls share one key (and run once) when `true`.
    pub(crate) pure: Option<bool>,
    /// An explicit key for the task.
    pub(crate) key: Option<String>,
}

/// The option names, so a trailing map of only these is read as options, not as an argument.
const NAMES: [&str; 2] = ["pure", "key"];

impl Options {
    /// Reads `map`; unknown names and wrong types are errors naming the option.
    pub(crate) fn parse(map: &Map) -> Result<Options, Box<EvalAltResult>> {
        let mut options = Options::default();
        for (name, value) in map {
            match name.as_str() {
                "pure" => {
                    options.pure = Some(value.as_bool().map_err(|t| {
                        errors::runtime(format!("option `pure` must be true or false, not a `{t}`"))
                    })?)
                }
                "key" => options.key = Some(value.to_string()),
                other => {
                    return Err(errors::runtime(format!(
                        "unknown option `{other}` (options: {})",
                        NAMES.join(", ")
                    )));
                }
            }
        }
        Ok(options)
    }

    /// Splits options off the end of `args`: a last argument that is an object map whose
    /// names are all option names.
    pub(crate) fn split(args: &mut Vec<Dynamic>) -> Result<Options, Box<EvalAltResult>> {
        let is_options = args.last().and_then(|a| {
            a.read_lock::<Map>()
                .map(|m| !m.is_empty() && m.keys().all(|k| NAMES.contains(&k.as_str())))
        });
        match is_options {
            Some(true) => {
                let map = args
                    .pop()
                    .and_then(|a| a.try_cast::<Map>())
                    .unwrap_or_default();
                Options::parse(&map)
            }
            _ => Ok(Options::default()),
        }
    }
}
