//! Between the textarea's offsets (UTF-16 code units) and Rust's (bytes).

/// The byte offset of UTF-16 offset `units` in `text` (clamped to the end).
pub fn byte_of(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 offset of byte offset `byte` in `text` (clamped to the end).
pub fn units_of(text: &str, byte: usize) -> u32 {
    text.char_indices()
        .take_while(|&(i, _)| i < byte)
        .map(|(_, c)| c.len_utf16() as u32)
        .sum()
}

#[cfg(test)]
mod test {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn offsets_round_trip_through_wide_characters() {
        let text = "é𝔵 = 1";
        assert_eq!(byte_of(text, 1), 2);
        assert_eq!(byte_of(text, 3), 6);
        assert_eq!(byte_of(text, 99), text.len());
        assert_eq!(units_of(text, 6), 3);
        assert_eq!(units_of(text, byte_of(text, 3)), 3);
    }
}
