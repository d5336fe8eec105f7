//! The notebook's files (`Kernel::set_file` in, `Output::File` out), for pandas'
//! `read_csv` and `to_csv` (`_skein_read_text`, `_skein_write_text`).

use monty_types::{ExcType, MontyObject};

use super::{Host, HostResult, exc};

impl Host {
    /// A file's text.
    pub(super) fn read_text(&mut self, path: &str) -> HostResult {
        let text = self
            .session
            .read_text(path)
            .map_err(|m| exc(ExcType::FileNotFoundError, m))?;
        Ok(MontyObject::string(text))
    }

    /// Saves `text` as the file `path` (the page offers it for download).
    pub(super) fn write_text(&mut self, path: &str, text: &str) -> HostResult {
        self.session.save_file(path, text.as_bytes().to_vec());
        Ok(MontyObject::none())
    }
}
