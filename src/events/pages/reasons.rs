//! Why two people should meet, in words: the suggestions' and the rounds' talking points.

use super::topic_label;
use crate::domain::meeting::{Reason, Side};
use crate::events::Topic;
use crate::i18n::{Locale, Msg};

/// One reason in words, for the person the page belongs to.
pub(super) fn reason_text(reason: &Reason, topics: &[Topic], locale: Locale) -> String {
    let list =
        |label: Msg, items: Vec<String>| format!("{} {}", label.text(locale), items.join(", "));
    match reason {
        Reason::SharedTopics(ids) => list(
            Msg::ReasonTopics,
            ids.iter()
                .filter_map(|&i| topics.get(i as usize))
                .map(|topic| topic_label(topic, locale))
                .collect(),
        ),
        Reason::Offers {
            by: Side::Partner,
            words,
        } => list(Msg::ReasonPartnerOffers, words.clone()),
        Reason::Offers {
            by: Side::You,
            words,
        } => list(Msg::ReasonYouOffer, words.clone()),
        Reason::Kinds(a, b) => list(
            Msg::ReasonKinds,
            vec![format!(
                "{} × {}",
                a.label().text(locale),
                b.label().text(locale)
            )],
        ),
        Reason::MutualWish => Msg::ReasonMutual.text(locale).to_owned(),
        Reason::Wished { by: Side::You } => Msg::ReasonYouWish.text(locale).to_owned(),
        Reason::Wished { by: Side::Partner } => Msg::ReasonPartnerWishes.text(locale).to_owned(),
    }
}
