//! `/fallstudien/neu`: a new story starts with its title and partners.

use crate::cases::api::CreateCaseStudy;
use crate::domain::actor::ActorOption;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::Page;
use crate::ui::{action_error, Field, FieldError, FormError, Loaded};
use leptos::prelude::*;

/// `/fallstudien/neu`: title and the first two partners; the editor does the rest.
#[component]
pub fn NewCaseStudyPage() -> impl IntoView {
    view! {
        <Page title=Msg::CasesNew access=EDITORS>
            <NewCaseStudyForm/>
        </Page>
    }
}

#[component]
pub(super) fn NewCaseStudyForm() -> impl IntoView {
    let create = ServerAction::<CreateCaseStudy>::new();
    let error = action_error(create);
    let actors = Resource::new(|| (), |_| crate::map::api::actor_options());
    let locale = use_locale();
    view! {
        <Loaded resource=actors ready={move |actors: Vec<ActorOption>| view! {
            <FormError error fields=&["title", "partners"]/>
            <ActionForm action=create attr:class="form narrow">
                <Field label=Msg::CaseTitleLabel name="title" error/>
                {[0usize, 1].into_iter().map(|i| {
                    let id = format!("feld-partner-{i}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{Msg::CasePartnerN.text(locale).replace("{n}", &(i + 1).to_string())}</label>
                            <select id=id name=format!("partners[{i}]") required>
                                <option value="">{t(Msg::KindChoose)}</option>
                                {actors.iter().map(|actor| view! {
                                    <option value=actor.id>{format!("{}, {} ({})", actor.name, actor.town, actor.kind.label().text(locale))}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view()}
                <FieldError error field="partners"/>
                <button type="submit" class="button">{t(Msg::CasesCreate)}</button>
            </ActionForm>
        }}/>
    }
}
