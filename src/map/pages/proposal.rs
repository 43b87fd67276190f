//! `/karte/vorschlagen`: anyone proposes a new actor or a correction.

use super::actor_fields::ActorFields;
use super::actor_fields::PROPOSAL_FIELDS;
use crate::domain::actor::ActorKind;
use crate::domain::actor_input::ActorInput;
use crate::domain::proposal::MESSAGE_MAX;
use crate::domain::slug::Slug;
use crate::i18n::{t, Msg};
use crate::map::api::{actor_profile, map_options, ProposeChange};
use crate::map::MapOptions;
use crate::ui::{
    action_error, char_count, invalid_state, CharCount, Field, FieldError, FormError, Loaded,
    PageMeta, PublicFormGuard,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/karte/vorschlagen?akteur=…`: anyone proposes a new actor or a correction.
#[component]
pub fn ProposalPage() -> impl IntoView {
    let query = use_query_map();
    let slug = query.with_untracked(|q| q.get("akteur").unwrap_or_default());
    let propose = ServerAction::<ProposeChange>::new();
    let error = action_error(propose);
    let (message_count, message_input) = char_count("");
    let (message_invalid, message_described) = invalid_state(error, "message");
    let options = Resource::new(|| (), |_| map_options());
    let current = Resource::new(
        {
            let slug = slug.clone();
            move || slug.clone()
        },
        |slug| async move {
            if slug.is_empty() {
                Ok(None)
            } else {
                actor_profile(Slug::from(slug)).await.map(Some)
            }
        },
    );
    let sent = move || propose.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Title text=t(Msg::ProposeTitle)/>
        <PageMeta description=t(Msg::ProposeLead) path="/karte/vorschlagen"/>
        <h1>{t(Msg::ProposeTitle)}</h1>
        <p class="lead">{t(Msg::ProposeLead)}</p>
        {move || sent().then(|| view! { <div class="notice" role="status"><p>{t(Msg::ProposeSent)}</p></div> })}
        <Loaded resource=options ready={move |options: MapOptions| {
            let slug = slug.clone();
            view! {
                <Loaded resource=current ready={move |actor: Option<super::ActorDetail>| {
                    let (slug, options) = (slug.clone(), options.clone());
                    let input = actor.map(|a| ActorInput {
                        name: a.name,
                        kind: a.kind.code().to_owned(),
                        town: a.town,
                        lat: a.lat.to_string(),
                        lon: a.lon.to_string(),
                        website: a.website.unwrap_or_default(),
                        description: a.description,
                        founded_year: a.founded_year.map(|y| y.to_string()).unwrap_or_default(),
                        size_band: a.size_band.unwrap_or_default(),
                        sectors: a.sectors.into_iter().map(|t| t.slug).collect(),
                        technologies: a.technologies.into_iter().map(|t| t.slug).collect(),
                        is_public: Some("on".into()),
                        ..ActorInput::default()
                    }).unwrap_or_else(|| ActorInput { kind: ActorKind::Mittelstand.code().into(), ..ActorInput::default() });
                    view! {
                        <ActionForm action=propose attr:class="form form--wide">
                            <input type="hidden" name="slug" value=slug.clone()/>
                            <PublicFormGuard token=options.form_token.clone()/>
                            <FormError error fields=PROPOSAL_FIELDS/>
                            <ActorFields input options error/>
                            <fieldset>
                                <legend>{t(Msg::ProposeAboutYou)}</legend>
                                <Field label=Msg::LabelName name="proposer_name" autocomplete="name" error/>
                                <Field label=Msg::LabelEmail name="proposer_email" kind="email" autocomplete="email" error/>
                                <div class="field">
                                    <label for="feld-message">{t(Msg::ProposeMessage)}</label>
                                    <textarea id="feld-message" name="message" rows="3" maxlength=MESSAGE_MAX on:input=message_input
                                        aria-invalid=message_invalid aria-describedby=message_described></textarea>
                                    <CharCount count=message_count max=MESSAGE_MAX/>
                                    <FieldError error field="message"/>
                                </div>
                                <p class="muted">{t(Msg::ProposePrivacy)}</p>
                            </fieldset>
                            <button type="submit" class="button">{t(Msg::ProposeSubmit)}</button>
                        </ActionForm>
                    }
                }}/>
            }
        }}/>
    }
}
