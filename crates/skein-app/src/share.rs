//! A notebook as a link: its title and cell sources (no outputs), deflated and base64url-encoded
//! into the URL's fragment. A fragment never reaches the server, so nothing is uploaded and any
//! static host serves the page that opens it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use skein_kernel::Notebook;

/// What precedes the encoded notebook in the fragment; the `1` versions the encoding.
const PREFIX: &str = "#notebook1=";

/// The longest fragment a share link carries. Browsers take far longer URLs (Chromium 2 MB), but
/// mail and chat programs, and the people who paste links into them, do not: a notebook beyond
/// this travels better as an exported file.
pub const MAX_FRAGMENT_CHARS: usize = 64 * 1024;

/// A notebook link inflates to at most this much JSON, so a crafted link cannot exhaust memory.
const MAX_NOTEBOOK_BYTES: usize = 8 * 1024 * 1024;

/// Why a notebook could not become a link, or a link a notebook.
#[derive(Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The encoded notebook would be `chars` long, over [`MAX_FRAGMENT_CHARS`].
    TooLarge { chars: usize },
    /// The fragment is not a notebook this page can read.
    Unreadable(String),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::TooLarge { chars } => write!(
                f,
                "this notebook is too large for a link ({} KB compressed; a link holds {} KB): \
                 use Export to share it as a file",
                chars.div_ceil(1024),
                MAX_FRAGMENT_CHARS / 1024
            ),
            ShareError::Unreadable(why) => write!(f, "the link's notebook cannot be read: {why}"),
        }
    }
}

/// The fragment (`#notebook1=…`) that carries `notebook`'s title and sources.
pub fn to_fragment(notebook: &Notebook) -> Result<String, ShareError> {
    let sources_only = Notebook {
        title: notebook.title.clone(),
        cells: notebook
            .cells
            .iter()
            .map(|cell| skein_kernel::NotebookCell::new(cell.kind, cell.source.clone()))
            .collect(),
    };
    let deflated = miniz_oxide::deflate::compress_to_vec(sources_only.to_json().as_bytes(), 9);
    let fragment = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated));
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLarge {
            chars: fragment.len(),
        });
    }
    Ok(fragment)
}

/// The notebook a fragment carries: `None` if the fragment is not a share link at all.
pub fn from_fragment(fragment: &str) -> Option<Result<Notebook, ShareError>> {
    let encoded = fragment.strip_prefix(PREFIX)?;
    Some(decode(encoded))
}

fn decode(encoded: &str) -> Result<Notebook, ShareError> {
    let unreadable = |why: String| ShareError::Unreadable(why);
    let deflated = URL_SAFE_NO_PAD
        .decode(encoded.trim())
        .map_err(|e| unreadable(format!("not base64url ({e})")))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_NOTEBOOK_BYTES)
        .map_err(|e| unreadable(format!("not a deflated notebook ({})", e.status as i32)))?;
    let text = String::from_utf8(json).map_err(|_| unreadable("not UTF-8 text".into()))?;
    Notebook::from_json(&text).map_err(|e| unreadable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use skein_kernel::{CellKind, NotebookCell};
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn notebook(source: &str) -> Notebook {
        let mut code = NotebookCell::new(CellKind::Code, source);
        code.outputs.push("an output that is not shared".into());
        Notebook {
            title: "Shared π".into(),
            cells: vec![NotebookCell::new(CellKind::Markdown, "# π"), code],
        }
    }

    #[wasm_bindgen_test]
    fn a_notebook_round_trips_through_its_fragment_without_outputs() {
        let fragment = to_fragment(&notebook("x = 1\nx + 1")).unwrap();
        assert!(fragment.starts_with("#notebook1="), "{fragment}");
        let back = from_fragment(&fragment).unwrap().unwrap();
        assert_eq!(back.title, "Shared π");
        assert_eq!(back.cells.len(), 2);
        assert_eq!(back.cells[1].source, "x = 1\nx + 1");
        assert_eq!(back.cells[0].kind, CellKind::Markdown);
        assert!(back.cells[1].outputs.is_empty());
    }

    #[wasm_bindgen_test]
    fn other_fragments_are_not_links_and_damaged_links_say_why() {
        assert!(from_fragment("").is_none());
        assert!(from_fragment("#section-2").is_none());
        let damaged = from_fragment("#notebook1=@@@").unwrap().unwrap_err();
        assert!(damaged.to_string().contains("base64url"), "{damaged}");
        let not_deflate = from_fragment("#notebook1=aGVsbG8").unwrap().unwrap_err();
        assert!(
            not_deflate.to_string().contains("deflated"),
            "{not_deflate}"
        );
    }

    #[wasm_bindgen_test]
    fn a_notebook_beyond_the_limit_is_refused_with_its_size() {
        // Incompressible text: a pseudo-random walk over the alphabet.
        let mut state = 0x2545_f491_u32;
        let noise: String = (0..120_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                char::from(b'!' + (state % 90) as u8)
            })
            .collect();
        let error = to_fragment(&notebook(&noise)).unwrap_err();
        assert!(matches!(error, ShareError::TooLarge { chars } if chars > MAX_FRAGMENT_CHARS));
        assert!(
            error.to_string().contains("too large for a link"),
            "{error}"
        );
    }
}
