//! `/fallstudien/:slug/bearbeiten`: the story editor with its preview, autosaved drafts and the
//! conflict view when someone else saved meanwhile.

use super::editor_fields::ImageList;
use super::editor_fields::ImageUpload;
use super::editor_fields::PartnerEdit;
use super::editor_fields::TopicEdit;
use super::field_label;
use super::revisions::DiffView;
use super::workflow::WorkflowPanel;
use crate::cases::api::{case_editor, case_preview, AutosaveDraft, DiscardDraft, SaveCaseStudy};
use crate::cases::{format_time, CaseEditorData, SaveOutcome, EDITOR_TITLE_LEVEL};
use crate::domain::case_study::CaseContent;
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::{
    action_error, invalid_state, CharCount, ErrorNotice, FieldError, FormError, Loaded, Restricted,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::time::Duration;

/// Reads and writes one text field of the content.
pub(super) type Lens = (
    fn(&CaseContent) -> &String,
    fn(&mut CaseContent) -> &mut String,
);

macro_rules! lens {
    ($field:ident) => {
        (
            (|c: &CaseContent| &c.$field) as fn(&CaseContent) -> &String,
            (|c: &mut CaseContent| &mut c.$field) as fn(&mut CaseContent) -> &mut String,
        )
    };
}

#[component]
pub fn CaseEditPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::CaseEditTitle)/>
        <Restricted access=EDITORS>
            <CaseEditLoader/>
        </Restricted>
    }
}

#[component]
pub(super) fn CaseEditLoader() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let steps = RwSignal::new(0u32);
    let data = Resource::new(
        move || (slug(), steps.get()),
        |(slug, _)| case_editor(Slug::from(slug)),
    );
    view! {
        <Loaded resource=data ready={move |data: CaseEditorData| {
            // Shared by the editor and the workflow: a step moves the saved version the editor
            // last saw, and waits while there are unsaved changes.
            let saved_version = RwSignal::new(data.version);
            let unsaved = RwSignal::new(false);
            view! {
            <p class="breadcrumbs">
                <A href="/fallstudien">{t(Msg::CasesTitle)}</A>
                " · "
                <A href=format!("/fallstudien/{}/versionen", data.slug)>{t(Msg::CaseRevisions)}</A>
            </p>
            <h1>{t(Msg::CaseEditTitle)} ": " {data.content.title.clone()}</h1>
            <WorkflowPanel data=data.clone() changed=steps saved_version unsaved=unsaved.into()/>
            <Editor data saved_version unsaved/>
            }
        }}/>
    }
}

#[component]
pub(super) fn Editor(
    data: CaseEditorData,
    saved_version: RwSignal<i64>,
    unsaved: RwSignal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let editable = data.status.is_editable();
    let draft = data.draft.clone().filter(|_| editable);
    let (initial, initial_base) = match &draft {
        Some((content, base, _)) => (content.clone(), *base),
        None => (data.content.clone(), data.version),
    };
    let content = RwSignal::new(initial);
    let base = RwSignal::new(initial_base);
    let stored = StoredValue::new((data.content.clone(), data.version));
    let saved = RwSignal::new(data.content.clone());
    let lookups = StoredValue::new(data.lookups.clone());
    let slug = StoredValue::new(data.slug.clone());

    let save = ServerAction::<SaveCaseStudy>::new();
    let autosave = ServerAction::<AutosaveDraft>::new();
    let discard = ServerAction::<DiscardDraft>::new();
    let error = action_error(save);
    let conflict = RwSignal::new(None::<SaveOutcome>);
    let draft_notice = RwSignal::new(draft.map(|(_, _, at)| at));

    // What the last save sent: typing while it travels stays unsaved.
    let sent = StoredValue::new(None::<CaseContent>);
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = save.value().get() {
            match outcome {
                SaveOutcome::Saved { version } => {
                    base.set(version);
                    saved_version.set(version);
                    if let Some(snapshot) = sent.get_value() {
                        saved.set(snapshot);
                    }
                    conflict.set(None);
                    draft_notice.set(None);
                }
                other => conflict.set(Some(other)),
            }
        }
    });
    Effect::new(move |_| unsaved.set(content.with(|c| saved.with(|s| c != s))));
    // Autosave two seconds after the last change, while the text differs from what is saved.
    let edits = StoredValue::new(0u64);
    Effect::new(move |previous: Option<()>| {
        content.track();
        if previous.is_none() || !editable {
            return;
        }
        let generation = edits.get_value() + 1;
        edits.set_value(generation);
        // The editor may be gone when the timer fires (navigation, a workflow step): then the
        // signals are disposed and there is nothing to keep.
        set_timeout(
            move || {
                let (Some(latest), Some(current), Some(stored), Some(slug), Some(base)) = (
                    edits.try_get_value(),
                    content.try_get_untracked(),
                    saved.try_get_untracked(),
                    slug.try_get_value(),
                    base.try_get_untracked(),
                ) else {
                    return;
                };
                if latest == generation && current != stored {
                    autosave.dispatch(AutosaveDraft {
                        slug: Slug::from(slug),
                        base_version: base,
                        content: current,
                    });
                }
            },
            Duration::from_secs(2),
        );
    });
    let dispatch_save = move || {
        let snapshot = content.get_untracked();
        sent.set_value(Some(snapshot.clone()));
        save.dispatch(SaveCaseStudy {
            slug: Slug::from(slug.get_value()),
            base_version: base.get_untracked(),
            content: snapshot,
        });
    };
    let status = move || {
        if save.pending().get() {
            t(Msg::CaseSaving).to_owned()
        } else if content.with(|c| *c == saved.get()) {
            Msg::CaseSavedVersion
                .text(locale)
                .replace("{n}", &base.get().to_string())
        } else if let Some(Ok(at)) = autosave.value().get() {
            Msg::CaseDraftKept
                .text(locale)
                .replace("{time}", &format_time(at))
        } else {
            t(Msg::CaseUnsaved).to_owned()
        }
    };
    // The preview follows the text once typing pauses, not at every keystroke (each is a
    // round trip to the server's renderer).
    let previewed = RwSignal::new(content.get_untracked());
    let pauses = StoredValue::new(0u64);
    Effect::new(move |previous: Option<()>| {
        let current = content.get();
        if previous.is_none() {
            return;
        }
        let generation = pauses.get_value() + 1;
        pauses.set_value(generation);
        set_timeout(
            move || {
                if pauses.try_get_value() == Some(generation) {
                    previewed.try_set(current);
                }
            },
            PREVIEW_PAUSE,
        );
    });

    view! {
        {move || draft_notice.get().map(|at| view! {
            <div class="notice" role="status">
                <p>{Msg::CaseDraftRestored.text(locale).replace("{time}", &format_time(at))}</p>
                <button type="button" class="button button--small" on:click=move |_| {
                    discard.dispatch(DiscardDraft { slug: Slug::from(slug.get_value()) });
                    let (stored_content, stored_version) = stored.get_value();
                    content.set(stored_content);
                    base.set(stored_version);
                    draft_notice.set(None);
                }>{t(Msg::CaseDraftDiscard)}</button>
            </div>
        })}
        {(!editable).then(|| view! { <div class="notice" role="status"><p>{t(Msg::CaseReadOnly)}</p></div> })}
        {move || conflict.get().map(|outcome| view! { <ConflictView outcome mine=content base saved saved_version conflict save=dispatch_save/> })}
        <div class="editor">
            <div class="editor__main">
            <form class="form editor__form" on:submit=move |ev| { ev.prevent_default(); dispatch_save(); }>
                <fieldset disabled=!editable>
                    <legend class="visually-hidden">{t(Msg::CaseEditTitle)}</legend>
                    <FormError error fields=&["title", "teaser", "region", "partners", "connection", "topics", "challenge", "solution", "result", "key_figures", "quote", "quote_by", "outlook", "contact", "images"]/>
                    <TextEdit content field="title" lens=lens!(title) error/>
                    <TextEdit content field="teaser" lens=lens!(teaser) error multiline=true rows=2/>
                    <TextEdit content field="region" lens=lens!(region) error/>
                    <PartnerEdit content lookups error/>
                    <TopicEdit content lookups error/>
                    <TextEdit content field="challenge" lens=lens!(challenge) error multiline=true hint=Msg::CaseMarkdownHint/>
                    <TextEdit content field="solution" lens=lens!(solution) error multiline=true hint=Msg::CaseMarkdownHint/>
                    <TextEdit content field="result" lens=lens!(result) error multiline=true hint=Msg::CaseMarkdownHint/>
                    <TextEdit content field="key_figures" lens=lens!(key_figures) error multiline=true rows=4 hint=Msg::CaseKeyFiguresHint/>
                    <TextEdit content field="quote" lens=lens!(quote) error multiline=true rows=3/>
                    <TextEdit content field="quote_by" lens=lens!(quote_by) error/>
                    <TextEdit content field="outlook" lens=lens!(outlook) error multiline=true hint=Msg::CaseMarkdownHint/>
                    <TextEdit content field="contact" lens=lens!(contact) error/>
                    <ImageList content error/>
                </fieldset>
                {editable.then(|| view! {
                    <div class="editor__save">
                        <button type="submit" class="button">{t(Msg::CaseSave)}</button>
                        <span class="muted" role="status" aria-live="polite">{status}</span>
                    </div>
                })}
            </form>
            {editable.then(|| view! { <ImageUpload content/> })}
            </div>
            <section class="editor__preview" aria-labelledby="vorschau">
                <h2 id="vorschau" class="eyebrow">{t(Msg::CasePreview)}</h2>
                <Rendered content=previewed level=EDITOR_TITLE_LEVEL initial=data.preview.clone()/>
            </section>
        </div>
    }
}

/// The title's heading level in the conflict view's two versions (under its h3s).
const CONFLICT_TITLE_LEVEL: u8 = 4;

/// How long typing pauses before the preview follows.
const PREVIEW_PAUSE: Duration = Duration::from_millis(300);

/// Content as readers will see it, rendered by the server: `initial` (from the page's data) for
/// the content it starts with, otherwise asked for; each change asks again, and the last rendering
/// stays until the answer to the latest request arrives.
#[component]
fn Rendered(
    #[prop(into)] content: Signal<CaseContent>,
    level: u8,
    #[prop(optional)] initial: Option<String>,
) -> impl IntoView {
    let has_initial = initial.is_some();
    let html = RwSignal::new(initial.unwrap_or_default());
    let failed = RwSignal::new(None::<AppError>);
    let requests = StoredValue::new(0u64);
    Effect::new(move |previous: Option<()>| {
        let content = content.get();
        if previous.is_none() && has_initial {
            return;
        }
        let request = requests.get_value() + 1;
        requests.set_value(request);
        leptos::task::spawn_local(async move {
            let answer = case_preview(content, level).await;
            // An answer to an older request would put back text already changed.
            if requests.try_get_value() != Some(request) {
                return;
            }
            match answer {
                Ok(rendered) => {
                    html.try_set(rendered);
                    failed.try_set(None);
                }
                Err(error) => {
                    failed.try_set(Some(error));
                }
            }
        });
    });
    // Erased: the conflict view holds two of these, and its nested type grew past the
    // compiler's query depth.
    view! {
        {move || failed.get().map(|error| view! { <ErrorNotice error/> })}
        <article class="case case--preview" inner_html=html></article>
    }
    .into_any()
}

/// A labelled text input or area bound to one field of the content.
#[component]
pub(super) fn TextEdit(
    content: RwSignal<CaseContent>,
    field: &'static str,
    lens: Lens,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = false)] multiline: bool,
    #[prop(default = 10)] rows: u32,
    #[prop(optional)] hint: Option<Msg>,
) -> impl IntoView {
    let (get, set) = lens;
    let id = format!("feld-{field}");
    let hint_id = format!("{id}-hinweis");
    let value = Memo::new(move |_| content.with(|c| get(c).clone()));
    let update = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        content.update(|c| *set(c) = text);
    };
    let (invalid, described) = invalid_state(error, field);
    let max = crate::domain::case_study::text_max(field);
    let count = Signal::derive(move || value.with(|v| v.chars().count()));
    let described = move || {
        let ids: Vec<String> = [described(), hint.map(|_| hint_id.clone())]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let control = if multiline {
        view! {
            <textarea id=id.clone() name=field rows=rows prop:value=value on:input=update maxlength=max
                aria-invalid=invalid aria-describedby=described></textarea>
            <CharCount count max/>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=field type="text" prop:value=value on:input=update maxlength=max
                aria-invalid=invalid aria-describedby=described/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t(field_label(field))}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-hinweis")>{t(hint)}</p> })}
            {control}
            <FieldError error field/>
        </div>
    }
}

/// Someone saved while this person edited: both versions and what differs; nothing is lost.
#[component]
pub(super) fn ConflictView(
    outcome: SaveOutcome,
    mine: RwSignal<CaseContent>,
    base: RwSignal<i64>,
    saved: RwSignal<CaseContent>,
    saved_version: RwSignal<i64>,
    conflict: RwSignal<Option<SaveOutcome>>,
    save: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let SaveOutcome::Conflict {
        theirs,
        version,
        author,
        at,
        diff,
    } = outcome
    else {
        return ().into_any();
    };
    // Both as they stood when the conflict came back.
    let mine_then = mine.get_untracked();
    let theirs = StoredValue::new(theirs);
    view! {
        <section class="conflict notice notice--error" aria-labelledby="konflikt">
            <h2 id="konflikt">{t(Msg::CaseConflictTitle)}</h2>
            <p role="alert">{Msg::CaseConflictText.text(locale).replace("{who}", &author).replace("{time}", &format_time(at)).replace("{n}", &version.to_string())}</p>
            <DiffView diff/>
            <div class="conflict__versions">
                <section aria-labelledby="fassung-gespeichert">
                    <h3 id="fassung-gespeichert">{Msg::CaseConflictTheirs.text(locale).replace("{n}", &version.to_string())}</h3>
                    <Rendered content=Signal::derive(move || *theirs.get_value()) level=CONFLICT_TITLE_LEVEL/>
                </section>
                <section aria-labelledby="fassung-meine">
                    <h3 id="fassung-meine">{t(Msg::CaseConflictMine)}</h3>
                    <Rendered content=Signal::derive(move || mine_then.clone()) level=CONFLICT_TITLE_LEVEL/>
                </section>
            </div>
            <p class="actions">
                <button type="button" class="button" on:click=move |_| {
                    let stored = *theirs.get_value();
                    saved.set(stored.clone());
                    mine.set(stored);
                    base.set(version);
                    saved_version.set(version);
                    conflict.set(None);
                }>{t(Msg::CaseConflictTakeTheirs)}</button>
                <button type="button" class="button button--danger" on:click=move |_| {
                    base.set(version);
                    save();
                }>{Msg::CaseConflictKeepMine.text(locale).replace("{n}", &version.to_string())}</button>
            </p>
        </section>
    }
    .into_any()
}
