//! `/fallstudien/:slug/bearbeiten` (the editor with live preview, autosave, image upload and the
//! conflict view) and `/fallstudien/:slug/versionen` (compare and restore revisions).

use super::api::{
    case_editor, compare_revisions, AutosaveDraft, DiscardDraft, RestoreRevision, SaveCaseStudy,
};
use super::render::{article_html, image_url};
use super::workflow::WorkflowPanel;
use super::{format_time, CaseEditorData, FieldDiff, Lookups, SaveOutcome};
use crate::domain::case_study::CaseContent;
use crate::error::AppError;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::{
    action_error, invalid_state, CharCount, FieldError, FormError, Loaded, Restricted,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::time::Duration;

/// Reads and writes one text field of the content.
type Lens = (
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

/// The label of a content field, for forms and comparisons.
pub fn field_label(field: &str) -> Msg {
    match field {
        "title" => Msg::CaseTitleLabel,
        "teaser" => Msg::CaseTeaser,
        "region" => Msg::CaseRegion,
        "partners" => Msg::CasePartners,
        "connection" => Msg::CaseConnection,
        "topics" => Msg::CaseTopics,
        "challenge" => Msg::CaseChallenge,
        "solution" => Msg::CaseSolution,
        "result" => Msg::CaseResult,
        "key_figures" => Msg::CaseKeyFigures,
        "quote" => Msg::CaseQuote,
        "quote_by" => Msg::CaseQuoteBy,
        "outlook" => Msg::CaseOutlook,
        "contact" => Msg::CaseContact,
        _ => Msg::CaseImages,
    }
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
fn CaseEditLoader() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let steps = RwSignal::new(0u32);
    let data = Resource::new(move || (slug(), steps.get()), |(slug, _)| case_editor(slug));
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
fn Editor(
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
                        slug,
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
            slug: slug.get_value(),
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
    let preview =
        move || content.with(|c| lookups.with_value(|l| article_html(c, l, None, locale, 3)));

    view! {
        {move || draft_notice.get().map(|at| view! {
            <div class="notice" role="status">
                <p>{Msg::CaseDraftRestored.text(locale).replace("{time}", &format_time(at))}</p>
                <button type="button" class="button button--small" on:click=move |_| {
                    discard.dispatch(DiscardDraft { slug: slug.get_value() });
                    let (stored_content, stored_version) = stored.get_value();
                    content.set(stored_content);
                    base.set(stored_version);
                    draft_notice.set(None);
                }>{t(Msg::CaseDraftDiscard)}</button>
            </div>
        })}
        {(!editable).then(|| view! { <div class="notice" role="status"><p>{t(Msg::CaseReadOnly)}</p></div> })}
        {move || conflict.get().map(|outcome| view! { <ConflictView outcome mine=content base saved saved_version conflict lookups save=dispatch_save/> })}
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
                <article class="case case--preview" inner_html=preview></article>
            </section>
        </div>
    }
}

/// A labelled text input or area bound to one field of the content.
#[component]
fn TextEdit(
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

#[component]
fn PartnerEdit(
    content: RwSignal<CaseContent>,
    lookups: StoredValue<Lookups>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let name_of = move |id: i64| {
        lookups.with_value(|l| {
            l.actors
                .iter()
                .find(|a| a.id == id)
                .map(|a| format!("{}, {}", a.name, a.town))
                .unwrap_or_else(|| id.to_string())
        })
    };
    // Only a change of partners redraws the chips and the connection choices, not every keystroke.
    let partners = Memo::new(move |_| content.with(|c| c.partners.clone()));
    let unknown = RwSignal::new(false);
    let add = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        let typed = typed.trim();
        let found = lookups.with_value(|l| {
            l.actors
                .iter()
                .find(|a| a.slug == typed || crate::ui::actor_choice(&a.name, &a.town) == typed)
                .or_else(|| {
                    let mut named = l
                        .actors
                        .iter()
                        .filter(|a| a.name.eq_ignore_ascii_case(typed));
                    named.next().filter(|_| named.next().is_none())
                })
                .map(|a| a.id)
        });
        unknown.set(found.is_none() && !typed.is_empty());
        if let Some(id) = found {
            content.update(|c| {
                if !c.partners.contains(&id) {
                    c.partners.push(id);
                }
            });
            event_target::<leptos::web_sys::HtmlInputElement>(&ev).set_value("");
        }
    };
    // A connection only makes sense between partners of the story.
    let remove = move |id: i64| {
        content.update(|c| {
            c.partners.retain(|p| *p != id);
            let still_between = lookups.with_value(|l| {
                l.connections.iter().any(|conn| {
                    Some(conn.id) == c.connection
                        && c.partners.contains(&conn.source)
                        && c.partners.contains(&conn.target)
                })
            });
            if !still_between {
                c.connection = None;
            }
        })
    };
    let (invalid, described) = invalid_state(error, "partners");
    let connections = move || {
        let partners = partners.get();
        lookups.with_value(|l| {
            l.connections
                .iter()
                .filter(|c| partners.contains(&c.source) && partners.contains(&c.target))
                .map(|c| {
                    (
                        c.id,
                        format!(
                            "{} – {}: {} ({})",
                            name_of(c.source),
                            name_of(c.target),
                            c.kind.label().text(locale),
                            c.started_on
                        ),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let (connection_invalid, connection_described) = invalid_state(error, "connection");
    view! {
        <fieldset class="field" aria-describedby=described>
            <legend>{t(Msg::CasePartners)}</legend>
            <ul class="chips">
                {move || partners.get().into_iter().map(|id| {
                    let name = name_of(id);
                    view! {
                        <li class="chip">
                            {name.clone()}
                            <button type="button" class="chip__remove"
                                aria-label=format!("{} {}", Msg::CaseRemove.text(locale), name)
                                on:click=move |_| remove(id)>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label for="feld-partner-neu">{t(Msg::CasePartnerAdd)}</label>
            <input id="feld-partner-neu" list="akteure-liste" autocomplete="off" on:change=add aria-invalid=invalid
                aria-describedby=move || unknown.get().then_some("feld-partner-unbekannt")/>
            {move || unknown.get().then(|| view! { <p class="field__error" id="feld-partner-unbekannt">{t(Msg::CasePartnerUnknown)}</p> })}
            {lookups.with_value(|l| view! { <crate::ui::ActorDatalist actors=l.actors.clone()/> })}
            <FieldError error field="partners"/>
        </fieldset>
        <div class="field">
            <label for="feld-connection">{t(Msg::CaseConnection)}</label>
            <select id="feld-connection" aria-invalid=connection_invalid aria-describedby=connection_described
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    content.update(|c| c.connection = value.parse().ok());
                }>
                <option value="" selected=move || content.with(|c| c.connection.is_none())>{t(Msg::CaseNoConnection)}</option>
                {move || connections().into_iter().map(|(id, label)| view! {
                    <option value=id selected=move || content.with(|c| c.connection == Some(id))>{label}</option>
                }).collect_view()}
            </select>
            <FieldError error field="connection"/>
        </div>
    }
}

#[component]
fn TopicEdit(
    content: RwSignal<CaseContent>,
    lookups: StoredValue<Lookups>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <fieldset class="field checkbox-grid">
            <legend>{t(Msg::CaseTopics)}</legend>
            {lookups.with_value(|l| l.topics.clone()).into_iter().map(|term| {
                let slug = term.slug.clone();
                let checked_slug = slug.clone();
                let label = term.label(locale);
                view! {
                    <label class="checkbox">
                        <input type="checkbox" value=slug.clone()
                            prop:checked=move || content.with(|c| c.topics.contains(&checked_slug))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let slug = slug.clone();
                                content.update(|c| {
                                    c.topics.retain(|t| *t != slug);
                                    if on {
                                        c.topics.push(slug);
                                    }
                                });
                            }/>
                        {label}
                    </label>
                }
            }).collect_view()}
            <FieldError error field="topics"/>
        </fieldset>
    }
}

/// The story's images: alternative text, the markdown to place one in a section, removal.
#[component]
fn ImageList(
    content: RwSignal<CaseContent>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <fieldset class="field">
            <legend>{t(Msg::CaseImages)}</legend>
            <p class="field__hint">{t(Msg::CaseImagesHint)}</p>
            <ul class="image-list">
                <For
                    each=move || content.with(|c| c.images.iter().map(|i| i.name.clone()).enumerate().collect::<Vec<_>>())
                    key=|(i, name)| (*i, name.clone())
                    children=move |(i, name)| {
                        let id = format!("bild-alt-{i}");
                        let alt = content.with_untracked(|c| c.images.get(i).map(|image| image.alt.clone()).unwrap_or_default());
                        view! {
                            <li>
                                <img src=image_url(&name) alt="" width="96"/>
                                <div class="field">
                                    <label for=id.clone()>{Msg::CaseImageAlt.text(locale).replace("{n}", &(i + 1).to_string())}</label>
                                    <input id=id type="text" value=alt
                                        on:input=move |ev| {
                                            let text = event_target_value(&ev);
                                            content.update(|c| if let Some(image) = c.images.get_mut(i) { image.alt = text; });
                                        }/>
                                    <code class="muted">{format!("![…]({})", image_url(&name))}</code>
                                </div>
                                <button type="button" class="button button--small button--danger"
                                    on:click=move |_| content.update(|c| { if i < c.images.len() { c.images.remove(i); } })>
                                    {t(Msg::CaseRemove)}<span class="visually-hidden">{format!(" {}", i + 1)}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <FieldError error field="images"/>
        </fieldset>
    }
}

/// Uploads an image (the server checks type and size) and adds it to the story.
#[component]
fn ImageUpload(content: RwSignal<CaseContent>) -> impl IntoView {
    let message = RwSignal::new(None::<Result<String, String>>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let alt = web_sys::FormData::new_with_form(&form)
                .ok()
                .and_then(|data| data.get("alt").as_string())
                .unwrap_or_default();
            leptos::task::spawn_local(async move {
                let result = upload(&form).await;
                if let Ok(name) = &result {
                    content.update(|c| {
                        c.images.push(crate::domain::case_study::CaseImage {
                            name: name.clone(),
                            alt: alt.trim().to_owned(),
                        })
                    });
                    form.reset();
                }
                message.set(Some(result));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (content, message);
    };
    view! {
        <form class="form upload" method="post" action="/bilder" enctype="multipart/form-data" on:submit=on_submit>
            <h2 class="eyebrow">{t(Msg::CaseImageUpload)}</h2>
            <div class="field">
                <label for="feld-bild">{t(Msg::CaseImageFile)}</label>
                <input id="feld-bild" name="bild" type="file" accept="image/png,image/jpeg,image/gif,image/webp" required/>
            </div>
            <div class="field">
                <label for="feld-bild-alt">{t(Msg::CaseImageAltNew)}</label>
                <input id="feld-bild-alt" name="alt" type="text" required/>
            </div>
            <button type="submit" class="button button--small">{t(Msg::CaseImageUploadSubmit)}</button>
            {move || message.get().map(|result| match result {
                Ok(_) => view! { <p role="status">{t(Msg::CaseImageUploaded)}</p> }.into_any(),
                Err(text) => view! { <p class="field__error" role="alert">{text}</p> }.into_any(),
            })}
        </form>
    }
}

/// Posts the upload form to `/bilder`; the answer is the stored name, or the reason in words.
#[cfg(feature = "hydrate")]
async fn upload(form: &web_sys::HtmlFormElement) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| t(Msg::ErrInternal).to_owned();
    let data = web_sys::FormData::new_with_form(form).map_err(failed)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&data);
    let request = web_sys::Request::new_with_str_and_init("/bilder", &init).map_err(failed)?;
    let window = web_sys::window().ok_or_else(|| t(Msg::ErrInternal).to_owned())?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(text.trim().to_owned())
    } else {
        Err(text)
    }
}

/// Someone saved while this person edited: both versions and what differs; nothing is lost.
#[component]
fn ConflictView(
    outcome: SaveOutcome,
    mine: RwSignal<CaseContent>,
    base: RwSignal<i64>,
    saved: RwSignal<CaseContent>,
    saved_version: RwSignal<i64>,
    conflict: RwSignal<Option<SaveOutcome>>,
    lookups: StoredValue<Lookups>,
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
    let theirs_html = lookups.with_value(|l| article_html(&theirs, l, None, locale, 4));
    let mine_html =
        mine.with_untracked(|c| lookups.with_value(|l| article_html(c, l, None, locale, 4)));
    let theirs = StoredValue::new(theirs);
    view! {
        <section class="conflict notice notice--error" aria-labelledby="konflikt">
            <h2 id="konflikt">{t(Msg::CaseConflictTitle)}</h2>
            <p role="alert">{Msg::CaseConflictText.text(locale).replace("{who}", &author).replace("{time}", &format_time(at)).replace("{n}", &version.to_string())}</p>
            <DiffView diff/>
            <div class="conflict__versions">
                <section aria-labelledby="fassung-gespeichert">
                    <h3 id="fassung-gespeichert">{Msg::CaseConflictTheirs.text(locale).replace("{n}", &version.to_string())}</h3>
                    <div class="case case--preview" inner_html=theirs_html></div>
                </section>
                <section aria-labelledby="fassung-meine">
                    <h3 id="fassung-meine">{t(Msg::CaseConflictMine)}</h3>
                    <div class="case case--preview" inner_html=mine_html></div>
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

/// Changed lines per field: removed, added, unchanged around them.
#[component]
pub fn DiffView(diff: Vec<FieldDiff>) -> impl IntoView {
    let locale = use_locale();
    if diff.is_empty() {
        return view! { <p>{t(Msg::CaseNoDifferences)}</p> }.into_any();
    }
    view! {
        <div class="diff">
            {diff.into_iter().map(|field| view! {
                <section class="diff__field">
                    <h4>{field_label(&field.field).text(locale)}</h4>
                    <ul class="diff__lines">
                        {field.lines.into_iter().map(|line| {
                            let (class, said) = match line.sign {
                                '-' => ("diff__removed", Msg::DiffRemoved.text(locale)),
                                '+' => ("diff__added", Msg::DiffAdded.text(locale)),
                                _ => ("diff__same", ""),
                            };
                            view! {
                                <li class=class>
                                    <span aria-hidden="true">{line.sign.to_string()}" "</span>
                                    {(!said.is_empty()).then(|| view! { <span class="visually-hidden">{said}": "</span> })}
                                    {line.text}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// `/fallstudien/:slug/versionen`: every revision with author and time; compare two, restore one.
#[component]
pub fn RevisionsPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::CaseRevisions)/>
        <Restricted access=EDITORS>
            <Revisions/>
        </Restricted>
    }
}

#[component]
fn Revisions() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let restore = ServerAction::<RestoreRevision>::new();
    let error = action_error(restore);
    let data = Resource::new(
        move || (slug(), restore.version().get()),
        |(slug, _)| case_editor(slug),
    );
    let pair = move || {
        let number = |key: &str| query.read().get(key).and_then(|v| v.parse::<i64>().ok());
        number("von").zip(number("bis"))
    };
    let comparison = Resource::new(
        move || (slug(), pair()),
        |(slug, pair)| async move {
            match pair {
                Some((from, to)) => compare_revisions(slug, from, to).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Loaded resource=data ready={move |data: CaseEditorData| {
            let editable = data.status.is_editable();
            let (from, to) = pair().unwrap_or_else(|| {
                let newest = data.revisions.first().map(|r| r.version).unwrap_or(1);
                ((newest - 1).max(1), newest)
            });
            let revisions = data.revisions.clone();
            let (slug, current) = (data.slug.clone(), data.version);
            let options = move |selected: i64| revisions.iter().map(|r| view! {
                <option value=r.version selected=r.version == selected>{format!("{} {} · {} · {}", Msg::CaseVersion.text(locale), r.version, r.author, format_time(r.at))}</option>
            }).collect_view();
            view! {
                <p class="breadcrumbs">
                    <A href=format!("/fallstudien/{}/bearbeiten", data.slug)>{t(Msg::CaseEditTitle)}</A>
                </p>
                <h1>{t(Msg::CaseRevisions)} ": " {data.content.title.clone()}</h1>
                <form method="get" class="form form--row" aria-label=t(Msg::CaseCompare)>
                    <div class="field">
                        <label for="von">{t(Msg::CaseCompareFrom)}</label>
                        <select id="von" name="von">{options(from)}</select>
                    </div>
                    <div class="field">
                        <label for="bis">{t(Msg::CaseCompareTo)}</label>
                        <select id="bis" name="bis">{options(to)}</select>
                    </div>
                    <button type="submit" class="button">{t(Msg::CaseCompare)}</button>
                </form>
                <Loaded resource=comparison ready={|diff: Option<Vec<FieldDiff>>| diff.map(|diff| view! { <DiffView diff/> })}/>
                <h2>{t(Msg::CaseHistory)}</h2>
                <FormError error/>
                {move || matches!(restore.value().get(), Some(Ok(SaveOutcome::Saved { .. }))).then(|| view! {
                    <div class="notice" role="status"><p>{t(Msg::CaseRestored)}</p></div>
                })}
                {move || matches!(restore.value().get(), Some(Ok(SaveOutcome::Conflict { .. }))).then(|| view! {
                    <div class="notice notice--error" role="alert"><p>{t(Msg::ProbEditedMeanwhile)}</p></div>
                })}
                <ol class="plain-list revisions">
                    {data.revisions.into_iter().map(move |revision| { let slug = slug.clone(); view! {
                        <li>
                            <strong>{format!("{} {}", Msg::CaseVersion.text(locale), revision.version)}</strong>
                            " · " {revision.author.clone()} " · " {format_time(revision.at)}
                            {(editable && revision.version != current).then(|| view! {
                                <ActionForm action=restore attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug.clone()/>
                                    <input type="hidden" name="version" value=revision.version/>
                                    <input type="hidden" name="base_version" value=current/>
                                    <button type="submit" class="button button--small">
                                        {t(Msg::CaseRestore)}
                                        <span class="visually-hidden">{format!(" {} {}", Msg::CaseVersion.text(locale), revision.version)}</span>
                                    </button>
                                </ActionForm>
                            })}
                        </li>
                    }}).collect_view()}
                </ol>
            }
        }}/>
    }
}
