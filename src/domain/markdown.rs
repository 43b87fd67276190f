//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises. Only the server renders:
//! public pages and the editor's preview both come from this one function, so what an author sees
//! is what readers get.

use ammonia::Builder;
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

pub use crate::domain::case_study::IMAGE_PATH;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(HashSet::from([
            "p",
            "br",
            "h3",
            "h4",
            "h5",
            "h6",
            "strong",
            "em",
            "del",
            "ul",
            "ol",
            "li",
            "blockquote",
            "a",
            "img",
            "code",
            "pre",
            "hr",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        ]))
        .tag_attributes(
            [
                ("a", HashSet::from(["href", "title"])),
                ("img", HashSet::from(["src", "alt", "title"])),
                ("ol", HashSet::from(["start"])),
            ]
            .into(),
        )
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        // Images only from this instance's uploads: no tracking pixels, no data: or remote sources.
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !is_uploaded_image(value) {
                return None;
            }
            Some(value.into())
        });
    builder
});

fn is_uploaded_image(src: &str) -> bool {
    src.strip_prefix(IMAGE_PATH)
        .is_some_and(crate::domain::case_study::is_image_name)
}

/// Safe HTML for a markdown text written by an author. Authors' headings start at `first_level`
/// (the level below the section they write in), so the page's outline stays intact.
pub fn render(markdown: &str, first_level: u8) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let demote = |level: HeadingLevel| {
        let demoted = (level as usize) - 1 + usize::from(first_level);
        HeadingLevel::try_from(demoted.min(6)).unwrap_or(HeadingLevel::H6)
    };
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    SANITIZER.clean(&unsafe_html).to_string()
}

/// Text for an HTML text node or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Markdown and HTML that try to run script, load foreign content or escape the sanitiser;
    /// the end-to-end tests type the same corpus into the editor's preview.
    pub fn hostile() -> Vec<String> {
        serde_json::from_str(include_str!("../../end2end/fixtures/hostile-markdown.json"))
            .expect("the hostile corpus is a JSON list of strings")
    }

    /// Elements the renderers may produce; anything else in the output is a failure.
    const ALLOWED_TAGS: &[&str] = &[
        "p",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "img",
        "code",
        "pre",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "section",
        "article",
        "nav",
        "dl",
        "dt",
        "dd",
        "div",
        "figure",
        "figcaption",
        "span",
        "time",
    ];
    const ALLOWED_ATTRIBUTES: &[&str] = &[
        "href",
        "src",
        "alt",
        "title",
        "rel",
        "class",
        "id",
        "datetime",
        "loading",
        "start",
        "aria-label",
        "aria-labelledby",
        "align",
    ];

    /// Reads every real tag of `html` (text `<` is always escaped) and checks its element, its
    /// attributes and its URLs: no script, no handlers, no foreign images, no script URLs.
    pub fn assert_safe(input: &str, html: &str) {
        let fail = |why: String| -> ! { panic!("{input:?} rendered {html:?}: {why}") };
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            let after = &rest[open + 1..];
            let mut in_quote = false;
            let close = after
                .char_indices()
                .find(|&(_, c)| {
                    if c == '"' {
                        in_quote = !in_quote;
                    }
                    c == '>' && !in_quote
                })
                .map(|(i, _)| i)
                .unwrap_or_else(|| fail("unclosed tag".into()));
            let tag = &after[..close];
            rest = &after[close + 1..];
            let tag = tag.trim_start_matches('/').trim_end_matches('/');
            let (name, mut attributes) = tag.split_once(' ').unwrap_or((tag, ""));
            if !ALLOWED_TAGS.contains(&name.to_ascii_lowercase().as_str()) {
                fail(format!("element <{name}>"));
            }
            while !attributes.trim().is_empty() {
                attributes = attributes.trim_start();
                let name_end = attributes.find(['=', ' ']).unwrap_or(attributes.len());
                let attribute = attributes[..name_end].to_ascii_lowercase();
                if !ALLOWED_ATTRIBUTES.contains(&attribute.as_str()) {
                    fail(format!("attribute {attribute}"));
                }
                attributes = &attributes[name_end..];
                let mut value = "";
                if let Some(quoted) = attributes.strip_prefix("=\"") {
                    let end = quoted
                        .find('"')
                        .unwrap_or_else(|| fail("unquoted value".into()));
                    value = &quoted[..end];
                    attributes = &quoted[end + 1..];
                }
                let decoded = value.replace("&amp;", "&").to_ascii_lowercase();
                let compact: String = decoded
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                match attribute.as_str() {
                    "href"
                        if compact.starts_with("javascript:")
                            || compact.starts_with("vbscript:")
                            || compact.starts_with("data:")
                            || compact.contains("&#") =>
                    {
                        fail(format!("link {value}"));
                    }
                    "src" if !value.starts_with(IMAGE_PATH) || value.contains("..") => {
                        fail(format!("image source {value}"));
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn the_hostile_corpus_renders_safe() {
        let corpus = hostile();
        assert!(corpus.len() >= 30);
        for input in &corpus {
            assert_safe(input, &render(input, 3));
        }
    }

    #[test]
    fn ordinary_markdown_survives() {
        let image = format!("/bilder/{}.png", "0a1b".repeat(16));
        let html = render(
            &format!(
                "# Titel\n\nEin **fetter** und *kursiver* Text mit [Link](https://example.de).\n\n\
             - eins\n- zwei\n\n> Zitat\n\n![Halle]({image})"
            ),
            3,
        );
        assert!(html.contains("<h3>Titel</h3>"), "{html}");
        assert!(html.contains("<strong>fetter</strong>"));
        assert!(html.contains("<em>kursiver</em>"));
        assert!(
            html.contains("href=\"https://example.de\"")
                && html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
        assert!(html.contains("<li>eins</li>"));
        assert!(html.contains("<blockquote>"));
        assert!(
            html.contains(&format!("<img src=\"{image}\" alt=\"Halle\">")),
            "{html}"
        );
    }

    #[test]
    fn headings_start_at_the_given_level_and_stop_at_h6() {
        let html = render("# Eins\n\n## Zwei\n\n###### Sechs", 4);
        assert!(html.contains("<h4>Eins</h4>"), "{html}");
        assert!(html.contains("<h5>Zwei</h5>"), "{html}");
        assert!(html.contains("<h6>Sechs</h6>"), "{html}");
        assert!(render("# Eins", 3).contains("<h3>Eins</h3>"));
    }

    #[test]
    fn remote_and_traversing_images_lose_their_source() {
        let html = render("![a](https://tracker.example/p.gif) ![b](/bilder/../x)", 3);
        assert!(!html.contains("src="), "{html}");
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Arbitrary mixes of dangerous fragments never produce script or handlers.
        #[test]
        fn mixtures_of_fragments_stay_safe(parts in proptest::collection::vec(0..30usize, 1..5),
                                           glue in "[ <>\"'=/a-z\\n]{0,6}") {
            let corpus = hostile();
            let input: String = parts.iter().map(|&i| corpus[i].as_str()).collect::<Vec<_>>().join(&glue);
            assert_safe(&input, &render(&input, 3));
        }
    }
}
