//! `/karte/begriffe`: editors name the taxonomy's terms in both languages.

use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::map::api::{map_options, SaveTerm};
use crate::map::MapOptions;
use crate::ui::Page;
use crate::ui::{action_error, Field, FormError, Loaded};
use leptos::prelude::*;

/// `/karte/begriffe`: the editable taxonomy of sectors and technologies.
#[component]
pub fn TermsPage() -> impl IntoView {
    let save = ServerAction::<SaveTerm>::new();
    let error = action_error(save);
    let options = Resource::new(move || save.version().get(), |_| map_options());
    let locale = use_locale();
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Page title=Msg::TermsTitle lead=Msg::TermsLead access=EDITORS>
            {move || saved().then(|| view! { <div class="notice" role="status"><p>{t(Msg::TermsSaved)}</p></div> })}
            <FormError error fields=&["label_de", "label_en"]/>
            <h2>{t(Msg::TermsAdd)}</h2>
            <ActionForm action=save attr:class="form form--row">
                <input type="hidden" name="slug" value=""/>
                <div class="field">
                    <label for="begriff-liste">{t(Msg::TermsVocabulary)}</label>
                    <select id="begriff-liste" name="vocabulary">
                        <option value="sector">{t(Msg::ActorSectors)}</option>
                        <option value="technology">{t(Msg::ActorTechnologies)}</option>
                    </select>
                </div>
                <Field label=Msg::TermsLabelDe name="label_de" error/>
                <Field label=Msg::TermsLabelEn name="label_en" error/>
                <button type="submit" class="button">{t(Msg::TermsAdd)}</button>
            </ActionForm>
            <Loaded resource=options ready={move |options: MapOptions| {
                [("sector", Msg::ActorSectors, options.sectors), ("technology", Msg::ActorTechnologies, options.technologies)]
                    .into_iter()
                    .map(|(vocabulary, heading, terms)| view! {
                        <h2>{t(heading)}</h2>
                        <ul class="plain-list">
                            {terms.into_iter().map(|term| view! {
                                <li>
                                    <ActionForm action=save attr:class="inline-form">
                                        <input type="hidden" name="vocabulary" value=vocabulary/>
                                        <input type="hidden" name="slug" value=term.slug.clone()/>
                                        <input name="label_de" value=term.label_de.clone() aria-label=format!("{} – {}", t(Msg::TermsLabelDe), term.label_de)/>
                                        <input name="label_en" value=term.label_en.clone() aria-label=format!("{} – {}", t(Msg::TermsLabelEn), term.label_de)/>
                                        <button type="submit" class="button button--small"
                                            aria-label=format!("{}: {}", t(Msg::TermsRename), term.label(locale))>
                                            {t(Msg::TermsRename)}
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                    .collect_view()
            }}/>
        </Page>
    }
}
