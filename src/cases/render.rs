//! A story and the playbook as HTML. One renderer on the server for the public page (cached), the
//! editor's live preview, the approval page, the printed booklet and its self-contained export:
//! authors see exactly what readers get.

use super::{image_url, Lookups, Playbook};
use crate::domain::case_study::parse_key_figures;
use crate::domain::case_study::CaseContent;
use crate::domain::markdown::{escape, render as markdown};
use crate::i18n::{Locale, Msg};
use std::fmt::Write;

/// The story's body: partners, facts, sections, key figures, quote, images and contact. The
/// title is a heading of `title_level` (1 on its own page, 2 in the booklet, deeper inside the
/// editor), its sections one level below, and the authors' headings below those.
pub fn article_html(
    content: &CaseContent,
    lookups: &Lookups,
    published_on: Option<&str>,
    locale: Locale,
    title_level: u8,
) -> String {
    let text = |msg: Msg| msg.text(locale);
    let section_level = title_level + 1;
    let mut html = String::new();
    let _ = write!(
        html,
        "<h{title_level} class=\"case__title\">{}</h{title_level}>",
        escape(&content.title)
    );
    if !content.teaser.is_empty() {
        let _ = write!(html, "<p class=\"lead\">{}</p>", escape(&content.teaser));
    }
    if let Some(cover) = content.images.first() {
        let _ = write!(
            html,
            "<figure class=\"case__cover\"><img src=\"{}\" alt=\"{}\"></figure>",
            escape(&image_url(&cover.name)),
            escape(&cover.alt)
        );
    }
    // Facts: partners (linked to their profile and the map when public), region, topics, dates.
    html.push_str("<dl class=\"case__facts\">");
    let partners: Vec<String> = content
        .partners
        .iter()
        .filter_map(|id| lookups.actors.iter().find(|a| a.id == *id))
        .map(|actor| {
            let kind = escape(actor.kind.label().text(locale));
            if actor.public {
                format!(
                    "<li><a href=\"/akteure/{slug}\">{name}</a> <span class=\"muted\">({kind}, {town})</span> \
                     <a class=\"case__maplink\" href=\"/karte?q={query}\">{on_map}<span class=\"visually-hidden\"> {name}</span></a></li>",
                    slug = escape(&actor.slug),
                    name = escape(&actor.name),
                    town = escape(&actor.town),
                    query = escape(&url_encode(&actor.name)),
                    on_map = text(Msg::CaseOnMap),
                )
            } else {
                format!(
                    "<li>{} <span class=\"muted\">({kind}, {})</span></li>",
                    escape(&actor.name),
                    escape(&actor.town)
                )
            }
        })
        .collect();
    let _ = write!(
        html,
        "<div><dt>{}</dt><dd><ul class=\"case__partners\">{}</ul></dd></div>",
        text(Msg::CasePartners),
        partners.concat()
    );
    if let Some(connection) = content
        .connection
        .and_then(|id| lookups.connections.iter().find(|c| c.id == id))
    {
        let since = match &connection.ended_on {
            Some(end) => format!("{} – {}", connection.started_on, end),
            None => format!("{} {}", text(Msg::CaseSince), connection.started_on),
        };
        let _ = write!(
            html,
            "<div><dt>{}</dt><dd>{} ({})</dd></div>",
            text(Msg::CaseConnection),
            escape(connection.kind.label().text(locale)),
            escape(&since)
        );
    }
    if !content.region.is_empty() {
        let _ = write!(
            html,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            text(Msg::CaseRegion),
            escape(&content.region)
        );
    }
    let topics: Vec<String> = content
        .topics
        .iter()
        .filter_map(|slug| lookups.topics.iter().find(|t| &t.slug == slug))
        .map(|term| escape(&term.label(locale)))
        .collect();
    if !topics.is_empty() {
        let _ = write!(
            html,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            text(Msg::CaseTopics),
            topics.join(", ")
        );
    }
    if let Some(date) = published_on {
        let _ = write!(
            html,
            "<div><dt>{}</dt><dd><time datetime=\"{date}\">{date}</time></dd></div>",
            text(Msg::CasePublished),
            date = escape(date)
        );
    }
    html.push_str("</dl>");

    let section = |html: &mut String, title: Msg, body: &str| {
        if !body.trim().is_empty() {
            let _ = write!(
                html,
                "<section class=\"case__section\"><h{section_level}>{}</h{section_level}>{}</section>",
                text(title),
                markdown(body, section_level + 1)
            );
        }
    };
    section(&mut html, Msg::CaseChallenge, &content.challenge);
    section(&mut html, Msg::CaseSolution, &content.solution);
    section(&mut html, Msg::CaseResult, &content.result);
    if let Ok(figures) = parse_key_figures(&content.key_figures) {
        if !figures.is_empty() {
            let _ = write!(
                html,
                "<section class=\"case__figures\" aria-label=\"{}\"><dl class=\"stats\">",
                text(Msg::CaseKeyFigures)
            );
            for figure in figures {
                let _ = write!(
                    html,
                    "<div><dt>{}</dt><dd>{}</dd></div>",
                    escape(&figure.label),
                    escape(&figure.value)
                );
            }
            html.push_str("</dl></section>");
        }
    }
    if !content.quote.trim().is_empty() {
        let _ = write!(
            html,
            "<figure class=\"case__quote\"><blockquote>{}</blockquote>",
            markdown(&content.quote, section_level + 1)
        );
        if !content.quote_by.is_empty() {
            let _ = write!(
                html,
                "<figcaption>— {}</figcaption>",
                escape(&content.quote_by)
            );
        }
        html.push_str("</figure>");
    }
    section(&mut html, Msg::CaseOutlook, &content.outlook);
    if content.images.len() > 1 {
        html.push_str("<div class=\"case__gallery\">");
        for image in &content.images[1..] {
            let _ = write!(
                html,
                "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\"><figcaption>{}</figcaption></figure>",
                escape(&image_url(&image.name)),
                escape(&image.alt),
                escape(&image.alt)
            );
        }
        html.push_str("</div>");
    }
    if !content.contact.is_empty() {
        let _ = write!(
            html,
            "<section class=\"case__contact\"><h{section_level}>{}</h{section_level}><p>{}</p></section>",
            text(Msg::CaseContact),
            escape(&content.contact)
        );
    }
    html
}

/// The playbook as a booklet: cover, table of contents, introduction, method, one chapter per
/// story. The print stylesheet turns the classes into pages.
pub fn booklet_html(playbook: &Playbook, locale: Locale) -> String {
    let text = |msg: Msg| msg.text(locale);
    let mut html = String::new();
    let _ = write!(
        html,
        "<section class=\"booklet__cover\"><p class=\"eyebrow\">{}</p><h1>{}</h1><p class=\"lead\">{}</p><p>{}</p></section>",
        text(Msg::AppName),
        text(Msg::PlaybookTitle),
        text(Msg::PlaybookSubtitle),
        text(Msg::PlaybookCount).replace("{n}", &playbook.studies.len().to_string()),
    );
    let _ = write!(
        html,
        "<nav class=\"booklet__toc\" aria-labelledby=\"inhalt-titel\"><h2 id=\"inhalt-titel\">{}</h2><ol>",
        text(Msg::PlaybookContents)
    );
    let _ = write!(
        html,
        "<li><a href=\"#einfuehrung\">{}</a></li><li><a href=\"#methode\">{}</a></li>",
        text(Msg::PlaybookIntro),
        text(Msg::PlaybookMethod)
    );
    for (i, study) in playbook.studies.iter().enumerate() {
        let _ = write!(
            html,
            "<li><a href=\"#fallstudie-{}\">{}</a></li>",
            i + 1,
            escape(&study.content.title)
        );
    }
    html.push_str("</ol></nav>");
    for (id, title, body) in [
        ("einfuehrung", Msg::PlaybookIntro, &playbook.intro),
        ("methode", Msg::PlaybookMethod, &playbook.method),
    ] {
        let _ = write!(
            html,
            "<section class=\"booklet__chapter\" id=\"{id}\"><h2>{}</h2>{}</section>",
            text(title),
            markdown(body, 3)
        );
    }
    for (i, study) in playbook.studies.iter().enumerate() {
        let _ = write!(
            html,
            "<article class=\"booklet__chapter case\" id=\"fallstudie-{}\">{}</article>",
            i + 1,
            article_html(
                &study.content,
                &study.lookups,
                study.published_on.as_deref(),
                locale,
                2,
            )
        );
    }
    html
}

/// Percent-encodes a query value (the map's search for a partner's name).
fn url_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::Lookups;
    use crate::domain::actor::ActorKind;
    use crate::domain::actor::ActorOption;
    use crate::domain::case_study::{CaseContent, CaseImage, CaseStatus};
    use crate::domain::markdown::tests::{assert_safe, hostile};

    fn article(content: CaseContent) -> crate::cases::CaseArticle {
        crate::cases::CaseArticle {
            base_url: String::new(),
            slug: "s".into(),
            status: CaseStatus::Published,
            content,
            lookups: Lookups {
                actors: vec![
                    ActorOption {
                        id: 1,
                        slug: "muehle".into(),
                        name: "Mühle & Söhne <KG>".into(),
                        kind: ActorKind::Mittelstand,
                        town: "Eppingen".into(),
                        public: true,
                    },
                    ActorOption {
                        id: 2,
                        slug: "geheim".into(),
                        name: "Stealth GmbH".into(),
                        kind: ActorKind::Startup,
                        town: "Sinsheim".into(),
                        public: false,
                    },
                ],
                ..Default::default()
            },
            published_on: Some("2026-11-01".into()),
            updated_at: 0,
            html: String::new(),
        }
    }

    #[test]
    fn every_field_of_the_content_is_escaped_or_sanitised() {
        for hostile in &hostile() {
            let content = CaseContent {
                title: hostile.to_string(),
                teaser: hostile.to_string(),
                region: hostile.to_string(),
                partners: vec![1, 2],
                challenge: hostile.to_string(),
                solution: hostile.to_string(),
                result: hostile.to_string(),
                key_figures: format!(
                    "{} | {}",
                    hostile.replace('|', ""),
                    hostile.replace('|', "")
                ),
                quote: hostile.to_string(),
                quote_by: hostile.to_string(),
                outlook: hostile.to_string(),
                contact: hostile.to_string(),
                images: vec![CaseImage {
                    name: format!("{}.png", "a".repeat(64)),
                    alt: hostile.to_string(),
                }],
                ..Default::default()
            };
            let article = article(content);
            let html = article_html(&article.content, &article.lookups, None, Locale::De, 1);
            assert_safe(hostile, &html);
        }
    }

    #[test]
    fn only_public_partners_are_linked() {
        let article = article(CaseContent {
            title: "T".into(),
            partners: vec![1, 2],
            ..Default::default()
        });
        let html = article_html(&article.content, &article.lookups, None, Locale::De, 1);
        assert!(html.contains("href=\"/akteure/muehle\""), "{html}");
        assert!(html.contains("Mühle &amp; Söhne &lt;KG&gt;"));
        assert!(
            html.contains("/karte?q=M%C3%BChle+%26+S%C3%B6hne+%3CKG%3E"),
            "{html}"
        );
        assert!(html.contains("Stealth GmbH") && !html.contains("/akteure/geheim"));
    }

    #[test]
    fn the_booklet_lists_every_story_in_its_contents() {
        let playbook = Playbook {
            intro: "Wie alles begann".into(),
            method: "## Schritt 1".into(),
            version: 1,
            studies: vec![
                article(CaseContent {
                    title: "Erste".into(),
                    ..Default::default()
                }),
                article(CaseContent {
                    title: "Zweite".into(),
                    ..Default::default()
                }),
            ],
        };
        let html = booklet_html(&playbook, Locale::De);
        let toc = &html[html.find("booklet__toc").unwrap()..html.find("</nav>").unwrap()];
        assert!(toc.contains("#fallstudie-1\">Erste") && toc.contains("#fallstudie-2\">Zweite"));
        assert!(html.contains("id=\"fallstudie-2\""));
        assert!(html.contains("<h4>Schritt 1</h4>"));
    }

    #[test]
    fn the_outline_follows_the_title_level() {
        let content = CaseContent {
            title: "Titel".into(),
            challenge: "# Frage\n\nText".into(),
            contact: "Ada".into(),
            ..Default::default()
        };
        let html = article_html(&content, &Lookups::default(), None, Locale::De, 2);
        assert!(
            html.contains("<h2 class=\"case__title\">Titel</h2>"),
            "{html}"
        );
        let challenge = Msg::CaseChallenge.text(Locale::De);
        assert!(html.contains(&format!("<h3>{challenge}</h3>")), "{html}");
        assert!(html.contains("<h4>Frage</h4>"), "{html}");
        let contact = Msg::CaseContact.text(Locale::De);
        assert!(html.contains(&format!("<h3>{contact}</h3>")), "{html}");
    }
}
