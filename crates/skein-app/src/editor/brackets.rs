//! Bracket matching: the bracket beside the cursor and its partner.

const PAIRS: [(u8, u8); 3] = [(b'(', b')'), (b'[', b']'), (b'{', b'}')];

/// The byte offsets of the bracket next to byte `cursor` (just before it, else just after)
/// and of its partner, if both exist. Brackets in strings and comments count too: a rare
/// miss costs less than lexing on every cursor move.
pub fn matching(text: &str, cursor: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let candidates = [cursor.checked_sub(1), Some(cursor)];
    candidates
        .into_iter()
        .flatten()
        .filter(|&at| at < bytes.len())
        .find_map(|at| partner(bytes, at).map(|other| (at, other)))
}

/// The partner of the bracket at `at`, scanning forward from an opener, back from a closer.
fn partner(bytes: &[u8], at: usize) -> Option<usize> {
    let c = bytes[at];
    if let Some(&(open, close)) = PAIRS.iter().find(|p| p.0 == c) {
        let mut depth = 0usize;
        for (i, &b) in bytes.iter().enumerate().skip(at) {
            if b == open {
                depth += 1;
            } else if b == close {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    } else if let Some(&(open, close)) = PAIRS.iter().find(|p| p.1 == c) {
        let mut depth = 0usize;
        for i in (0..=at).rev() {
            if bytes[i] == close {
                depth += 1;
            } else if bytes[i] == open {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    } else {
        None
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn finds_the_partner_across_nesting_in_both_directions() {
        let text = "f(a[1], (b))";
        assert_eq!(matching(text, 2), Some((1, 11)));
        assert_eq!(matching(text, 12), Some((11, 1)));
        assert_eq!(matching(text, 3), Some((3, 5)));
    }

    #[wasm_bindgen_test]
    fn an_unmatched_bracket_or_none_near_gives_nothing() {
        assert_eq!(matching("f(a", 2), None);
        assert_eq!(matching("abc", 1), None);
        assert_eq!(matching("", 0), None);
        assert_eq!(matching("x)", 5), None);
    }
}
