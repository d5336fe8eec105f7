//! The notebook's files (`Kernel::set_file` in, `Output::File` out), for pandas'
//! `read_csv` and `to_csv` (`_skein_read_text`, `_skein_write_text`) and a bag's
//! `read_text` (`_skein_glob`).

use monty_types::{ExcType, MontyObject};

use super::args::{Args, host_args};
use super::{Host, HostResult, exc};

host_args! {
    /// `_skein_read_text(path)`.
    pub(super) struct ReadText<'a> { path: &'a str }
}

host_args! {
    /// `_skein_glob(pattern)`.
    pub(super) struct Glob<'a> { pattern: &'a str }
}

host_args! {
    /// `_skein_write_text(path, text)`.
    pub(super) struct WriteText<'a> { path: &'a str, text: &'a str }
}

/// `_skein_read_text`: a file's text.
pub(super) fn read_text(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let ReadText { path } = args.parse()?;
    let text = host
        .session
        .read_text(path)
        .map_err(|m| exc(ExcType::FileNotFoundError, m))?;
    Ok(MontyObject::string(text))
}

/// `_skein_write_text`: saves `text` as the file `path` (the page offers it for download).
pub(super) fn write_text(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let WriteText { path, text } = args.parse()?;
    host.session.save_file(path, text.as_bytes().to_vec());
    Ok(MontyObject::none())
}

/// `_skein_glob`: the names of the notebook's files `pattern` matches (`*`, `?`, `[ab]`, as
/// Python's `glob`), sorted; an error for a malformed pattern.
pub(super) fn glob(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Glob { pattern } = args.parse()?;
    let matching = host
        .session
        .file_names_matching(pattern)
        .map_err(|m| exc(ExcType::ValueError, m))?;
    Ok(MontyObject::list(
        matching.into_iter().map(MontyObject::string),
    ))
}
