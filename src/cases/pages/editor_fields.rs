//! The editor's structured fields: partners, topics and images.

use crate::cases::image_url;
use crate::cases::Lookups;
use crate::domain::case_study::CaseContent;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::{invalid_state, FieldError};
use leptos::prelude::*;

#[component]
pub(super) fn PartnerEdit(
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
pub(super) fn TopicEdit(
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
pub(super) fn ImageList(
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
pub(super) fn ImageUpload(content: RwSignal<CaseContent>) -> impl IntoView {
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
pub(super) async fn upload(form: &web_sys::HtmlFormElement) -> Result<String, String> {
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
