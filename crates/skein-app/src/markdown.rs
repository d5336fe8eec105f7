//! Markdown cells rendered as Jupyter renders them: CommonMark with tables, and the inline HTML
//! a notebook writes (`<img src=… width=600>`, `<b>`, `<br>`, `<details>`), sanitised by an
//! allow-list the way JupyterLab's sanitiser does it: no scripts, no event handlers, no
//! `javascript:` links, no styles or forms.
//!
//! The browser itself parses the HTML (`DOMParser`, which never runs scripts or loads images), so
//! what is checked is exactly what will be shown; a sanitiser with its own parser could be fooled
//! by markup the two parse differently.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{DomParser, Element, SupportedType};

/// Tags kept with their allowed attributes.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "var",
];

/// Tags dropped with everything inside them: their content is code or controls, not text.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template",
    "noscript", "textarea", "select", "button", "form", "svg", "math", "link", "meta", "base",
    "title", "head",
];

/// Attributes kept on any allowed tag; everything else (`on*`, `style`, `id`, `class`, …) goes.
const ALLOWED_ATTRIBUTES: &[&str] = &[
    "align", "alt", "border", "checked", "colspan", "color", "disabled", "face", "height", "href",
    "open", "rowspan", "size", "span", "src", "start", "title", "type", "valign", "width",
];

/// Markdown to sanitised HTML.
pub fn render(source: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, Parser::new_ext(source, options));
    sanitize(&unsafe_html).unwrap_or_else(|| escape(source))
}

/// Keeps what [`ALLOWED_TAGS`] and [`ALLOWED_ATTRIBUTES`] allow; `None` if the browser offers
/// no parser (the caller then shows the source as text).
fn sanitize(html: &str) -> Option<String> {
    let parser = DomParser::new().ok()?;
    let document = parser
        .parse_from_string(html, SupportedType::TextHtml)
        .ok()?;
    let body = document.body()?;
    // A static list in document order: a dropped element's descendants may still be visited,
    // which is harmless since they are already detached.
    let elements = body.query_selector_all("*").ok()?;
    for i in 0..elements.length() {
        let Some(element) = elements.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let tag = element.tag_name().to_ascii_lowercase();
        if DROPPED_TAGS.contains(&tag.as_str()) {
            element.remove();
        } else if !ALLOWED_TAGS.contains(&tag.as_str()) {
            unwrap(&element);
        } else {
            clean_attributes(&element, &tag);
        }
    }
    Some(body.inner_html())
}

/// Replaces an element by its children, as sanitisers do with unknown tags.
fn unwrap(element: &Element) {
    if let Some(parent) = element.parent_node() {
        while let Some(child) = element.first_child() {
            let _ = parent.insert_before(&child, Some(element));
        }
    }
    element.remove();
}

fn clean_attributes(element: &Element, tag: &str) {
    let names = element.get_attribute_names();
    for name in names.iter().filter_map(|n| n.as_string()) {
        let value = element.get_attribute(&name).unwrap_or_default();
        let keep = ALLOWED_ATTRIBUTES.contains(&name.as_str())
            && match name.as_str() {
                "href" => is_safe_url(&value, false),
                "src" => is_safe_url(&value, tag == "img"),
                // Only checkboxes (task lists): no text fields or buttons in a rendered cell.
                "type" => tag != "input" || value.eq_ignore_ascii_case("checkbox"),
                _ => true,
            };
        if !keep {
            let _ = element.remove_attribute(&name);
        }
    }
    match tag {
        // Links open beside the notebook, as in Jupyter, and cannot reach back into it.
        "a" => {
            let _ = element.set_attribute("target", "_blank");
            let _ = element.set_attribute("rel", "noopener noreferrer");
        }
        "input" => {
            if element.get_attribute("type").is_none() {
                element.remove();
            } else {
                let _ = element.set_attribute("disabled", "");
            }
        }
        _ => {}
    }
}

/// Relative URLs and `http`, `https`, `mailto`; for images also inline `data:image/…` (not SVG,
/// which can carry script).
fn is_safe_url(url: &str, image: bool) -> bool {
    // Browsers drop ASCII whitespace and control characters inside a scheme ("java\tscript:").
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = squeezed.find(':');
    let path_start = squeezed.find(['/', '?', '#']);
    let scheme = match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if slash < colon => return true,
        (Some(colon), _) => &squeezed[..colon],
        (None, _) => return true,
    };
    match scheme {
        "http" | "https" | "mailto" => true,
        "data" => image && squeezed.starts_with("data:image/") && !squeezed.contains("svg"),
        _ => false,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An image in a markdown cell that fails to load (the seed's `images/city.png` is not beside
/// the page) shows its alt text, or nothing, instead of a broken-image box. One listener for
/// the whole page: `error` does not bubble, so it is caught on the way down.
pub fn show_alt_text_for_broken_images() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let Some(image) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlImageElement>().ok())
        else {
            return;
        };
        if image.closest(".markdown").ok().flatten().is_none() {
            return;
        }
        let alt = image.alt();
        if alt.is_empty() {
            image.remove();
        } else if let Some(document) = image.owner_document() {
            let text = document.create_element("span").ok();
            if let Some(text) = text {
                text.set_text_content(Some(&alt));
                let _ = text.set_attribute("class", "alt-text");
                let _ = image.replace_with_with_node_1(&text);
            }
        }
    });
    let _ = document.add_event_listener_with_callback_and_bool(
        "error",
        on_error.as_ref().unchecked_ref(),
        true,
    );
    // Lives as long as the page.
    on_error.forget();
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn inline_html_is_kept_as_html() {
        let html =
            render("A city:\n\n<img src='images/city.png' width=600>\n\nand <b>bold</b> text");
        assert!(
            html.contains(r#"<img src="images/city.png" width="600">"#),
            "{html}"
        );
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(!html.contains("&lt;img"), "{html}");
    }

    #[wasm_bindgen_test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let html = render(concat!(
            "<script>alert(1)</script>\n\n",
            "<img src=x onerror=\"alert(2)\" alt=pic>\n\n",
            "[link](javascript:alert(3)) <a href=\"java\tscript:alert(4)\">x</a>\n\n",
            "<p style=\"position:fixed\" onclick=\"alert(5)\">styled</p>\n\n",
            "<svg><script>alert(6)</script></svg><iframe src=\"https://example.com\"></iframe>",
        ));
        for bad in [
            "script",
            "onerror",
            "javascript",
            "onclick",
            "style=",
            "iframe",
            "svg",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains(r#"<img src="x" alt="pic">"#), "{html}");
        assert!(html.contains("<p>styled</p>"), "{html}");
    }

    #[wasm_bindgen_test]
    fn unknown_tags_keep_their_text_and_links_open_beside() {
        let html = render("<blink>still <i>here</i></blink> [docs](https://docs.dask.org)");
        assert!(html.contains("still <i>here</i>"), "{html}");
        assert!(!html.contains("blink"), "{html}");
        assert!(
            html.contains(r#"<a href="https://docs.dask.org" target="_blank" rel="noopener noreferrer">docs</a>"#),
            "{html}"
        );
    }

    #[wasm_bindgen_test]
    fn markdown_tables_still_render() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            html.contains("<table>") && html.contains("<td>2</td>"),
            "{html}"
        );
    }

    #[wasm_bindgen_test]
    fn safe_urls() {
        assert!(is_safe_url("images/city.png", true));
        assert!(is_safe_url("https://dask.org", false));
        assert!(is_safe_url("/a:b", false));
        assert!(is_safe_url("data:image/png;base64,AAAA", true));
        assert!(!is_safe_url("data:image/png;base64,AAAA", false));
        assert!(!is_safe_url("data:image/svg+xml,<svg>", true));
        assert!(!is_safe_url(" JavaScript:alert(1)", false));
        assert!(!is_safe_url("java\nscript:alert(1)", false));
        assert!(!is_safe_url("vbscript:x", false));
    }
}
