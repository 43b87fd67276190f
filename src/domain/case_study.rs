//! Case studies: their content, its checks, the workflow from draft to published, and image
//! uploads. Pure: the server and the editor use the same rules.

use crate::domain::actor_input::FieldProblem;
use crate::domain::validation::Problem;
use serde::{Deserialize, Serialize};

/// Where uploaded images are served; the only image source a story may use.
pub const IMAGE_PATH: &str = "/bilder/";

pub const TITLE_MAX: usize = 160;
pub const TEASER_MAX: usize = 400;
pub const SHORT_MAX: usize = 200;
pub const SECTION_MAX: usize = 20_000;
pub const COMMENT_MAX: usize = 2_000;
pub const IMAGES_MAX: usize = 12;

/// How many characters a text field of a story may hold (as `CaseContent::problems` checks).
pub fn text_max(field: &str) -> usize {
    match field {
        "title" => TITLE_MAX,
        "teaser" => TEASER_MAX,
        "region" | "quote_by" => SHORT_MAX,
        "contact" => SHORT_MAX * 2,
        _ => SECTION_MAX,
    }
}
/// A tandem, or a small consortium; more would not be a story about one partnership.
pub const PARTNERS_MAX: usize = 8;
/// How long a personal approval link works: long enough for a partner's holidays, short enough
/// that a forwarded or leaked link does not stay a key.
pub const APPROVAL_LINK_SECS: i64 = 30 * 24 * 60 * 60;
/// What one account may upload in a day: pictures for several stories, not a way to fill the disk.
pub const UPLOAD_BYTES_PER_DAY: usize = 40 * 1024 * 1024;
/// Uploaded images that no story, revision, draft or playbook text names are removed after this
/// long (people upload first and save later).
pub const UNUSED_IMAGE_SECS: i64 = 7 * 24 * 60 * 60;
pub const TOPICS_MAX: usize = 20;
/// Uploaded images are photos and diagrams for a web page and a printed booklet.
pub const IMAGE_BYTES_MAX: usize = 2 * 1024 * 1024;

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum CaseStatus {
        /// Entwurf: partners write.
        Draft = "draft",
        /// In Prüfung: an editor or admin reviews.
        Review = "review",
        /// Freigabe: every partner organisation approves.
        Approval = "approval",
        /// Veröffentlicht.
        Published = "published",
        /// Zurückgezogen: offline, can be reopened as a draft.
        Withdrawn = "withdrawn",
    }
}

impl CaseStatus {
    /// Content changes only while a story is being written or reviewed; approvals and the
    /// published text always belong to one fixed version.
    pub fn is_editable(self) -> bool {
        matches!(self, CaseStatus::Draft | CaseStatus::Review)
    }
}

crate::domain::coded::coded_enum! {
    /// A workflow step an editor (or, for approvals, a partner) takes.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum CaseStep {
        Submit = "submit",
        SendBack = "sendback",
        RequestApproval = "requestapproval",
        Approve = "approve",
        Publish = "publish",
        Withdraw = "withdraw",
        Reopen = "reopen",
    }
}

/// The status after `step`, or why the step is not possible now. `approvals_missing` counts the
/// partner organisations that have not approved yet.
pub fn next_status(
    status: CaseStatus,
    step: CaseStep,
    approvals_missing: usize,
) -> Result<CaseStatus, Problem> {
    use CaseStatus as S;
    use CaseStep as T;
    match (status, step) {
        (S::Draft, T::Submit) => Ok(S::Review),
        (S::Review | S::Approval, T::SendBack) => Ok(S::Draft),
        (S::Review, T::RequestApproval) => Ok(S::Approval),
        (S::Approval, T::Approve) => Ok(S::Approval),
        (S::Approval, T::Publish) if approvals_missing > 0 => Err(Problem::ApprovalsMissing),
        (S::Approval, T::Publish) => Ok(S::Published),
        (S::Published, T::Withdraw) => Ok(S::Withdrawn),
        (S::Withdrawn, T::Reopen) => Ok(S::Draft),
        _ => Err(Problem::StatusStepInvalid),
    }
}

/// An image of a story: the stored file's name and its description for people who cannot see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseImage {
    pub name: String,
    pub alt: String,
}

/// Everything an author writes; a revision stores exactly this.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseContent {
    pub title: String,
    pub teaser: String,
    pub region: String,
    /// The tandem's partners: actor ids, at least two.
    pub partners: Vec<i64>,
    /// The map's connection this story tells about, between two of the partners.
    pub connection: Option<i64>,
    /// Taxonomy term slugs.
    pub topics: Vec<String>,
    pub challenge: String,
    pub solution: String,
    pub result: String,
    /// One per line: "Wert | Bezeichnung".
    pub key_figures: String,
    pub quote: String,
    pub quote_by: String,
    pub outlook: String,
    pub contact: String,
    pub images: Vec<CaseImage>,
}

/// What the checks need to know about the rest of the data.
pub struct CaseRules<'a> {
    pub known_actors: &'a [i64],
    pub known_topics: &'a [String],
    /// Connections as (id, one end, other end).
    pub connections: &'a [(i64, i64, i64)],
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFigure {
    pub value: String,
    pub label: String,
}

/// The key figures, or the 1-based number of the first line that is not "Wert | Bezeichnung".
pub fn parse_key_figures(text: &str) -> Result<Vec<KeyFigure>, usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| match line.split_once('|') {
            Some((value, label)) if !value.trim().is_empty() && !label.trim().is_empty() => {
                Ok(KeyFigure {
                    value: value.trim().to_owned(),
                    label: label.trim().to_owned(),
                })
            }
            _ => Err(i + 1),
        })
        .collect()
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

impl CaseContent {
    /// The sections an author writes in markdown: (field, text).
    pub fn sections(&self) -> [(&'static str, &str); 4] {
        [
            ("challenge", &self.challenge),
            ("solution", &self.solution),
            ("result", &self.result),
            ("outlook", &self.outlook),
        ]
    }

    /// Trims the one-line fields; partners and topics sorted and without repeats (the order the
    /// database gives back, so a stored story compares equal to what was saved).
    pub fn normalized(mut self) -> CaseContent {
        for field in [
            &mut self.title,
            &mut self.teaser,
            &mut self.region,
            &mut self.quote_by,
            &mut self.contact,
        ] {
            *field = field.trim().to_owned();
        }
        self.partners.sort_unstable();
        self.partners.dedup();
        self.topics.sort();
        self.topics.dedup();
        for image in &mut self.images {
            image.alt = image.alt.trim().to_owned();
        }
        self
    }

    /// The content cut to what a story may hold (characters per field, partners, topics,
    /// images): the editor's preview renders text that may not pass the checks yet, but no more
    /// than a story could ever show.
    pub fn within_limits(mut self) -> CaseContent {
        for (field, text) in [
            ("title", &mut self.title),
            ("teaser", &mut self.teaser),
            ("region", &mut self.region),
            ("challenge", &mut self.challenge),
            ("solution", &mut self.solution),
            ("result", &mut self.result),
            ("key_figures", &mut self.key_figures),
            ("quote", &mut self.quote),
            ("quote_by", &mut self.quote_by),
            ("outlook", &mut self.outlook),
            ("contact", &mut self.contact),
        ] {
            if let Some((cut, _)) = text.char_indices().nth(text_max(field)) {
                text.truncate(cut);
            }
        }
        self.partners.truncate(PARTNERS_MAX);
        self.topics.truncate(TOPICS_MAX);
        self.images.truncate(IMAGES_MAX);
        for image in &mut self.images {
            if let Some((cut, _)) = image.alt.char_indices().nth(SHORT_MAX) {
                image.alt.truncate(cut);
            }
        }
        self
    }

    /// Every problem of the content, in form order; empty when it may be saved.
    pub fn problems(&self, rules: &CaseRules) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut check = |field: &'static str, problem: Option<Problem>| {
            if let Some(problem) = problem {
                problems.push(FieldProblem { field, problem });
            }
        };
        let length = |text: &str, max: usize, required: bool| {
            if required && text.trim().is_empty() {
                Some(Problem::Required)
            } else if text.chars().count() > max {
                Some(Problem::TooLong { max })
            } else if has_control(text) {
                Some(Problem::Unreadable)
            } else {
                None
            }
        };
        check("title", length(&self.title, text_max("title"), true));
        check("teaser", length(&self.teaser, text_max("teaser"), false));
        check("region", length(&self.region, text_max("region"), false));
        check(
            "partners",
            if self.partners.len() < 2 {
                Some(Problem::PartnersTooFew)
            } else if self.partners.len() > PARTNERS_MAX {
                Some(Problem::TooMany { max: PARTNERS_MAX })
            } else if self
                .partners
                .iter()
                .any(|id| !rules.known_actors.contains(id))
            {
                Some(Problem::ActorUnknown)
            } else {
                None
            },
        );
        check(
            "connection",
            self.connection.and_then(|id| {
                let between_partners = rules.connections.iter().any(|&(c, a, b)| {
                    c == id && self.partners.contains(&a) && self.partners.contains(&b)
                });
                (!between_partners).then_some(Problem::ConnectionNotBetweenPartners)
            }),
        );
        check(
            "topics",
            if self.topics.len() > TOPICS_MAX {
                Some(Problem::TooMany { max: TOPICS_MAX })
            } else {
                self.topics
                    .iter()
                    .any(|t| !rules.known_topics.contains(t))
                    .then_some(Problem::TermUnknown)
            },
        );
        for (field, text) in self.sections() {
            check(field, length(text, SECTION_MAX, false));
        }
        check(
            "key_figures",
            length(&self.key_figures, SECTION_MAX, false).or_else(|| {
                parse_key_figures(&self.key_figures)
                    .err()
                    .map(|line| Problem::KeyFigureInvalid { line })
            }),
        );
        check("quote", length(&self.quote, SECTION_MAX, false));
        check(
            "quote_by",
            length(&self.quote_by, text_max("quote_by"), false),
        );
        check("contact", length(&self.contact, text_max("contact"), false));
        check(
            "images",
            if self.images.len() > IMAGES_MAX {
                Some(Problem::TooMany { max: IMAGES_MAX })
            } else if self.images.iter().any(|i| !is_image_name(&i.name)) {
                Some(Problem::ImageTypeRefused)
            } else if self.images.iter().any(|i| i.alt.trim().is_empty()) {
                Some(Problem::AltMissing)
            } else {
                self.images
                    .iter()
                    .find_map(|i| length(&i.alt, SHORT_MAX, true))
            },
        );
        problems
    }

    /// What must be there before a story goes to review: the three core sections.
    pub fn missing_for_review(&self) -> Option<FieldProblem> {
        [
            ("challenge", &self.challenge),
            ("solution", &self.solution),
            ("result", &self.result),
        ]
        .into_iter()
        .find(|(_, text)| text.trim().is_empty())
        .map(|(field, _)| FieldProblem {
            field,
            problem: Problem::Required,
        })
    }
}

/// The kinds of image a story accepts, told by their first bytes, never by a name or a
/// browser-supplied type. SVG is refused: it can carry script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    pub fn from_extension(extension: &str) -> Option<ImageKind> {
        [
            ImageKind::Png,
            ImageKind::Jpeg,
            ImageKind::Gif,
            ImageKind::Webp,
        ]
        .into_iter()
        .find(|k| k.extension() == extension)
    }
}

/// Checks an upload: its size, then its kind from its bytes.
pub fn check_image(bytes: &[u8]) -> Result<ImageKind, Problem> {
    if bytes.is_empty() {
        return Err(Problem::Required);
    }
    if bytes.len() > IMAGE_BYTES_MAX {
        return Err(Problem::ImageTooLarge {
            max: IMAGE_BYTES_MAX / 1024 / 1024,
        });
    }
    ImageKind::sniff(bytes).ok_or(Problem::ImageTypeRefused)
}

/// A stored image's name: 64 hex digits (the SHA-256 of its bytes), a dot and a known extension.
pub fn is_image_name(name: &str) -> bool {
    name.split_once('.').is_some_and(|(hash, extension)| {
        hash.len() == 64
            && hash
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
            && ImageKind::from_extension(extension).is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_within_limits_is_cut_at_characters_not_bytes() {
        let content = CaseContent {
            title: "Ü".repeat(TITLE_MAX + 5),
            challenge: "a".repeat(SECTION_MAX + 1),
            teaser: "kurz".into(),
            partners: (0..20).collect(),
            ..CaseContent::default()
        }
        .within_limits();
        assert_eq!(content.title.chars().count(), TITLE_MAX);
        assert_eq!(content.challenge.len(), SECTION_MAX);
        assert_eq!(content.teaser, "kurz");
        assert_eq!(content.partners.len(), PARTNERS_MAX);
    }
    use proptest::prelude::*;

    type Known = (Vec<i64>, Vec<String>, Vec<(i64, i64, i64)>);

    fn rules() -> Known {
        (
            vec![1, 2, 3],
            vec!["ki".to_owned(), "energie".to_owned()],
            vec![(10, 1, 2), (11, 2, 3)],
        )
    }

    fn valid() -> CaseContent {
        CaseContent {
            title: "Rücknahme von Verschleißteilen".into(),
            partners: vec![1, 2],
            connection: Some(10),
            topics: vec!["ki".into()],
            challenge: "Teile landen im Schrott.".into(),
            solution: "Eine App.".into(),
            result: "**2.300 Teile** zurück.".into(),
            key_figures: "2.300 | Teile zurück\n38 t | Stahl gespart".into(),
            images: vec![CaseImage {
                name: format!("{}.png", "a".repeat(64)),
                alt: "Die Halle".into(),
            }],
            ..Default::default()
        }
    }

    fn problems_of(content: &CaseContent) -> Vec<(&'static str, Problem)> {
        let (actors, topics, connections) = rules();
        content
            .problems(&CaseRules {
                known_actors: &actors,
                known_topics: &topics,
                connections: &connections,
            })
            .into_iter()
            .map(|p| (p.field, p.problem))
            .collect()
    }

    #[test]
    fn a_complete_story_has_no_problems() {
        assert_eq!(problems_of(&valid()), vec![]);
        assert_eq!(valid().missing_for_review(), None);
    }

    #[test]
    fn each_rule_names_its_field() {
        let cases: Vec<(CaseContent, &str, Problem)> = vec![
            (
                CaseContent {
                    title: " ".into(),
                    ..valid()
                },
                "title",
                Problem::Required,
            ),
            (
                CaseContent {
                    partners: vec![1],
                    connection: None,
                    ..valid()
                },
                "partners",
                Problem::PartnersTooFew,
            ),
            (
                CaseContent {
                    partners: vec![1, 99],
                    connection: None,
                    ..valid()
                },
                "partners",
                Problem::ActorUnknown,
            ),
            (
                CaseContent {
                    connection: Some(11),
                    ..valid()
                },
                "connection",
                Problem::ConnectionNotBetweenPartners,
            ),
            (
                CaseContent {
                    topics: vec!["quanten".into()],
                    ..valid()
                },
                "topics",
                Problem::TermUnknown,
            ),
            (
                CaseContent {
                    key_figures: "38 t | Stahl\nnur Text".into(),
                    ..valid()
                },
                "key_figures",
                Problem::KeyFigureInvalid { line: 2 },
            ),
            (
                CaseContent {
                    images: vec![CaseImage {
                        name: "../../etc/passwd".into(),
                        alt: "x".into(),
                    }],
                    ..valid()
                },
                "images",
                Problem::ImageTypeRefused,
            ),
            (
                CaseContent {
                    images: vec![CaseImage {
                        name: format!("{}.png", "b".repeat(64)),
                        alt: " ".into(),
                    }],
                    ..valid()
                },
                "images",
                Problem::AltMissing,
            ),
            (
                CaseContent {
                    solution: "x".repeat(SECTION_MAX + 1),
                    ..valid()
                },
                "solution",
                Problem::TooLong { max: SECTION_MAX },
            ),
            (
                CaseContent {
                    region: "Kraich\u{0}gau".into(),
                    ..valid()
                },
                "region",
                Problem::Unreadable,
            ),
        ];
        for (content, field, problem) in cases {
            assert_eq!(problems_of(&content), vec![(field, problem)], "{field}");
        }
    }

    #[test]
    fn review_needs_the_core_sections() {
        let content = CaseContent {
            solution: "  ".into(),
            ..valid()
        };
        assert_eq!(
            content.missing_for_review().map(|p| p.field),
            Some("solution")
        );
    }

    #[test]
    fn normalizing_drops_repeats_and_trims() {
        let content = CaseContent {
            title: "  Titel ".into(),
            partners: vec![2, 1, 2],
            topics: vec!["ki".into(), "energie".into(), "ki".into()],
            ..valid()
        }
        .normalized();
        assert_eq!(content.title, "Titel");
        assert_eq!(content.partners, vec![1, 2]);
        assert_eq!(content.topics, vec!["energie", "ki"]);
    }

    #[test]
    fn key_figures_are_read_per_line() {
        assert_eq!(
            parse_key_figures("\n61 % | wieder verkauft \n\n"),
            Ok(vec![KeyFigure {
                value: "61 %".into(),
                label: "wieder verkauft".into()
            }])
        );
        assert_eq!(parse_key_figures("| ohne Wert"), Err(1));
    }

    #[test]
    fn the_workflow_allows_only_its_steps() {
        use CaseStatus as S;
        use CaseStep as T;
        assert_eq!(next_status(S::Draft, T::Submit, 0), Ok(S::Review));
        assert_eq!(next_status(S::Review, T::SendBack, 0), Ok(S::Draft));
        assert_eq!(
            next_status(S::Review, T::RequestApproval, 0),
            Ok(S::Approval)
        );
        assert_eq!(
            next_status(S::Approval, T::Publish, 1),
            Err(Problem::ApprovalsMissing)
        );
        assert_eq!(next_status(S::Approval, T::Publish, 0), Ok(S::Published));
        assert_eq!(next_status(S::Published, T::Withdraw, 0), Ok(S::Withdrawn));
        assert_eq!(next_status(S::Withdrawn, T::Reopen, 0), Ok(S::Draft));
        // Nothing skips the review or the partners.
        assert_eq!(
            next_status(S::Draft, T::Publish, 0),
            Err(Problem::StatusStepInvalid)
        );
        assert_eq!(
            next_status(S::Review, T::Publish, 0),
            Err(Problem::StatusStepInvalid)
        );
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_code(status.code()), Some(status));
        }
        for step in CaseStep::ALL {
            assert_eq!(CaseStep::from_code(step.code()), Some(step));
        }
    }

    #[test]
    fn images_are_known_by_their_bytes() {
        assert_eq!(check_image(b"\x89PNG\r\n\x1a\n rest"), Ok(ImageKind::Png));
        assert_eq!(check_image(&[0xff, 0xd8, 0xff, 0xe0]), Ok(ImageKind::Jpeg));
        assert_eq!(check_image(b"GIF89a..."), Ok(ImageKind::Gif));
        assert_eq!(check_image(b"RIFF\0\0\0\0WEBPVP8 "), Ok(ImageKind::Webp));
        for refused in [
            &b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"[..],
            b"<?xml version='1.0'?><svg/>",
            b"<html><script>alert(1)</script>",
            b"%PDF-1.7",
        ] {
            assert_eq!(check_image(refused), Err(Problem::ImageTypeRefused));
        }
        assert_eq!(check_image(b""), Err(Problem::Required));
        let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
        huge.resize(IMAGE_BYTES_MAX + 1, 0);
        assert_eq!(check_image(&huge), Err(Problem::ImageTooLarge { max: 2 }));
    }

    #[test]
    fn image_names_allow_no_paths() {
        let hash = "0123456789abcdef".repeat(4);
        assert!(is_image_name(&format!("{hash}.png")));
        for bad in [
            format!("{hash}.svg"),
            format!("../{hash}.png"),
            format!("{hash}.png/../x"),
            format!("{}.png", &hash[1..]),
            format!("{}.png", hash.to_uppercase()),
            "x.png".to_owned(),
        ] {
            assert!(!is_image_name(&bad), "{bad}");
        }
    }

    proptest! {
        /// Whatever a browser sends as a name, only hash names pass; no path separator survives.
        #[test]
        fn no_name_with_a_separator_passes(name in ".{0,80}") {
            if name.contains('/') || name.contains('\\') || name.contains("..") {
                prop_assert!(!is_image_name(&name));
            }
        }
    }
}
