//! `/karte/moderation`: editors accept or decline proposals.

use crate::domain::actor::ActorKind;
use crate::domain::proposal::ActorField;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::map::api::{map_options, open_proposals, DecideProposal};
use crate::map::{MapOptions, ProposalView};
use crate::taxonomy::Term;
use crate::ui::Page;
use crate::ui::{action_error, Loaded};
use leptos::prelude::*;

/// A proposal's value as people read it: the kind's and the terms' names, yes or no.
pub(super) fn shown_value(
    field: &str,
    value: &str,
    terms: &[Term],
    locale: crate::i18n::Locale,
) -> String {
    match ActorField::ALL.into_iter().find(|f| f.code() == field) {
        Some(ActorField::Kind) => ActorKind::from_code(value).map_or_else(
            || value.to_owned(),
            |kind| kind.label().text(locale).to_owned(),
        ),
        Some(ActorField::Sectors | ActorField::Technologies) => value
            .split(", ")
            .filter(|slug| !slug.is_empty())
            .map(|slug| {
                terms
                    .iter()
                    .find(|term| term.slug == slug)
                    .map_or_else(|| slug.to_owned(), |term| term.label(locale))
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(ActorField::IsPublic | ActorField::ContactPublic) => {
            (if value == "ja" { Msg::Yes } else { Msg::No })
                .text(locale)
                .to_owned()
        }
        _ => value.to_owned(),
    }
}

/// A proposal's field as the actor form labels it, not by its internal name.
pub(super) fn field_label(code: &str) -> Msg {
    match ActorField::ALL
        .into_iter()
        .find(|field| field.code() == code)
    {
        Some(ActorField::Name) => Msg::LabelName,
        Some(ActorField::Kind) => Msg::ColKind,
        Some(ActorField::Town) => Msg::ColTown,
        Some(ActorField::Lat) => Msg::FieldLat,
        Some(ActorField::Lon) => Msg::FieldLon,
        Some(ActorField::Website) => Msg::ActorWebsite,
        Some(ActorField::Description) => Msg::LabelDescription,
        Some(ActorField::FoundedYear) => Msg::ActorFounded,
        Some(ActorField::SizeBand) => Msg::ActorSize,
        Some(ActorField::Sectors) => Msg::ActorSectors,
        Some(ActorField::Technologies) => Msg::ActorTechnologies,
        Some(ActorField::LogoUrl) => Msg::LabelLogo,
        Some(ActorField::ContactEmail) => Msg::LabelContact,
        Some(ActorField::ContactPublic) => Msg::FieldContactPublic,
        Some(ActorField::IsPublic) => Msg::FieldIsPublic,
        None => Msg::ImportField,
    }
}

/// `/karte/moderation`: open proposals with what they would change.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let decide = ServerAction::<DecideProposal>::new();
    let decide_error = action_error(decide);
    let locale = use_locale();
    let proposals = Resource::new(move || decide.version().get(), |_| open_proposals());
    let options = Resource::new(|| (), |_| map_options());
    view! {
        <Page title=Msg::ModerationTitle access=EDITORS>
            // A proposal that no longer passes the checks names the field as the form labels it.
            {move || decide_error.get().map(|error| {
                let problems = error.problems();
                let text = if problems.is_empty() {
                    error.message(locale)
                } else {
                    problems
                        .into_iter()
                        .map(|(field, problem)| format!("{}: {}", field_label(field).text(locale), problem.text(locale)))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                view! { <div class="notice notice--error" role="alert"><p>{text}</p></div> }
            })}
            <Loaded resource=options ready={move |options: MapOptions| view! {
                <Loaded resource=proposals ready={move |proposals: Vec<ProposalView>| {
                    if proposals.is_empty() {
                        return view! { <p>{t(Msg::ModerationEmpty)}</p> }.into_any();
                    }
                    let terms: Vec<Term> = options.sectors.iter().chain(&options.technologies).cloned().collect();
                    view! {
                        <ul class="card-list">
                            {proposals.into_iter().map(|p| view! { <ProposalCard proposal=p decide terms=terms.clone()/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}/>
            }}/>
        </Page>
    }
}

#[component]
pub(super) fn ProposalCard(
    proposal: ProposalView,
    decide: ServerAction<DecideProposal>,
    terms: Vec<Term>,
) -> impl IntoView {
    let locale = use_locale();
    let shown = move |field: &str, value: &str| shown_value(field, value, &terms, locale);
    let accept_label = format!("{}: {}", t(Msg::ModerationAccept), proposal.proposed.name);
    let reject_label = format!("{}: {}", t(Msg::ModerationReject), proposal.proposed.name);
    let title = match &proposal.current {
        Some(current) => format!("{}: {}", t(Msg::ModerationCorrection), current.name),
        None => format!("{}: {}", t(Msg::ModerationNew), proposal.proposed.name),
    };
    let needs_confirmation = proposal.changes.iter().any(|c| c.needs_confirmation);
    let confirm_id = format!("bestaetigen-{}", proposal.id);
    view! {
        <li class="card">
            <h2>{title}</h2>
            <p class="muted">{t(Msg::ModerationFrom)} " " {proposal.proposer_name.clone()} " (" {proposal.proposer_email.clone()} ")"</p>
            {(!proposal.message.is_empty()).then(|| view! { <blockquote>{proposal.message.clone()}</blockquote> })}
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t(Msg::ImportField)}</th>
                    <th scope="col">{t(Msg::ModerationCurrent)}</th>
                    <th scope="col">{t(Msg::ModerationProposed)}</th>
                </tr></thead>
                <tbody>
                    {proposal.changes.into_iter().map(|change| view! {
                        <tr class:needs-confirmation=change.needs_confirmation>
                            <td>
                                {t(field_label(&change.field))}
                                {change.needs_confirmation.then(|| view! { " " <span class="badge">{t(Msg::ModerationNeedsConfirmation)}</span> })}
                            </td>
                            <td>{shown(&change.field, &change.current)}</td>
                            <td><strong>{shown(&change.field, &change.proposed)}</strong></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="button-row">
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="id" value=proposal.id/>
                    <input type="hidden" name="accept" value="true"/>
                    {needs_confirmation.then(|| view! {
                        <label class="check" for=confirm_id.clone()>
                            <input type="checkbox" id=confirm_id.clone() name="confirm" value="on" required/>
                            {t(Msg::ModerationConfirm)}
                        </label>
                    })}
                    <button type="submit" class="button" aria-label=accept_label>{t(Msg::ModerationAccept)}</button>
                </ActionForm>
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="id" value=proposal.id/>
                    <input type="hidden" name="accept" value="false"/>
                    <button type="submit" class="button button--danger" aria-label=reject_label>{t(Msg::ModerationReject)}</button>
                </ActionForm>
            </div>
        </li>
    }
}
