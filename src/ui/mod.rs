//! Shared components: page layout, loading and error states, form fields.

mod chart;
pub use chart::BarChart;

use crate::error::AppError;
use crate::guard::{Access, Viewer, ADMIN};
use crate::i18n::{t, use_locale, Msg};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use leptos_router::location::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The signed-in person for every component. The accounts journey provides it above the routes,
/// together with the actions that change who that is (`accounts::pages::Session`).
#[derive(Clone, Copy)]
pub struct SessionContext {
    pub viewer: Resource<Result<Option<Viewer>, AppError>>,
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// Whether the signed-in person's role is one `access` allows, once the session is known
/// (`false` before). Only for showing things: the server decides on every call.
pub fn use_allows(access: Access) -> Signal<bool> {
    let session = use_session();
    Signal::derive(move || {
        session
            .viewer
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|viewer| access.allows(Some(viewer.role)))
    })
}

/// `children` for people `access` allows, nothing for others. Waits for the session on the
/// server, so the first HTML is already right for the person.
#[component]
pub fn Allowed(access: Access, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let children = StoredValue::new(children);
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let allowed = matches!(session.viewer.await, Ok(Some(viewer)) if access.allows(Some(viewer.role)));
                allowed.then(|| children.with_value(|c| c()))
            })}
        </Transition>
    }
}

/// The error of the last submission of `action`, or, after a post without JavaScript, the error
/// Leptos handed back in the URL for this server function.
///
/// Leptos gives that URL error to actions created inside `<Routes>`; the session's actions live
/// above it, so the error is read here for every action alike.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    action_error_or(action, url_error::<S>())
}

/// The error of the last submission of `action`, or `returned` until there is one: for islands,
/// which get the URL's error from the server as a prop (they have no router to read it from).
pub fn action_error_or<S>(
    action: ServerAction<S>,
    returned: Option<AppError>,
) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || match action.value().get() {
        Some(result) => result.err(),
        None => returned.clone(),
    })
}

/// After a post without JavaScript, the error Leptos handed back in the URL for the server
/// function `S`.
pub fn url_error<S>() -> Option<AppError>
where
    S: ServerFn<Error = AppError>,
{
    use_context::<ServerActionError>()
        .filter(|error| error.path() == S::PATH)
        .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()))
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let switch_href = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        let back = match search {
            "" => location.pathname.get(),
            query => format!("{}?{query}", location.pathname.get()),
        };
        let back: String = back.chars().filter(|c| !c.is_control()).collect();
        format!(
            "/sprache/{}?zurueck={}",
            locale.other().code(),
            Url::escape(&back)
        )
    };
    // Embedded pages live in partners' iframes, the projector screen fills a wall: their own
    // content only, no site chrome.
    let path = location.pathname.get_untracked();
    if path.starts_with("/einbetten/") || path.ends_with("/leinwand") {
        return Either::Left(view! { <main id="inhalt" class="embedded">{children()}</main> });
    }
    Either::Right(view! {
        <a class="skip-link" href="#inhalt" rel="external">{t(Msg::SkipToContent)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"⟷"</span>
                    <span class="brand__name">{t(Msg::AppName)}</span>
                </a>
                <nav class="main-nav" aria-label=t(Msg::MainNavigation)>
                    <ul>
                        <li><A href="/karte">{t(Msg::NavMap)}</A></li>
                        <li><A href="/veranstaltungen">{t(Msg::NavEvents)}</A></li>
                        <li><A href="/fallstudien">{t(Msg::NavCases)}</A></li>
                        <AccountNavItems/>
                    </ul>
                </nav>
                <a class="lang-switch" rel="external" href=switch_href hreflang=locale.other().code()
                    lang=locale.other().code() aria-label=t(Msg::SwitchLanguageLabel)>
                    {t(Msg::SwitchLanguage)}
                </a>
            </div>
        </header>
        <main id="inhalt" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t(Msg::FooterText)}</p>
        </footer>
    })
}

#[component]
fn AccountNavItems() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition fallback=move || view! { <li><A href="/anmelden">{t(Msg::NavLogin)}</A></li> }>
            {move || Suspend::new(async move {
                match session.viewer.await {
                    Ok(Some(viewer)) => Either::Left(view! {
                        {ADMIN.allows(Some(viewer.role)).then(|| view! { <li><A href="/admin">{t(Msg::NavAdmin)}</A></li> })}
                        <li><A href="/mitteilungen">{t(Msg::NavNotifications)}</A></li>
                        <li><A href="/konto">{t(Msg::NavAccount)}</A></li>
                    }),
                    _ => Either::Right(view! { <li><A href="/anmelden">{t(Msg::NavLogin)}</A></li> }),
                }
            })}
        </Transition>
    }
}

/// "Previous page · Page 2 / 5 · Next page" under a list in pages; `link` gives a page's
/// address. Nothing while everything fits on one page.
#[component]
pub fn Pagination(page: u32, pages: u32, link: Callback<u32, String>) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav aria-label=t(Msg::Pagination)>
                <ul class="pagination">
                    {(page > 1).then(|| view! { <li><a href=link.run(page - 1)>{t(Msg::PagePrevious)}</a></li> })}
                    <li>{t(Msg::Page)} " " {page} " / " {pages}</li>
                    {(page < pages).then(|| view! { <li><a href=link.run(page + 1)>{t(Msg::PageNext)}</a></li> })}
                </ul>
            </nav>
        }
    })
}

/// Shows an error as an alert; during server rendering it also sets the HTTP status.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    let unauthenticated = error == AppError::Unauthenticated;
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.message(use_locale())}</p>
            {unauthenticated.then(|| view! { <p><a href="/anmelden">{t(Msg::NavLogin)}</a></p> })}
        </div>
    }
}

/// Renders `resource` with `ready` once loaded, or the error.
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, ready: F) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || {
                let ready = ready.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => Either::Left(ready(data)),
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })
            }}
        </Transition>
    }
}

/// A labelled input whose error (if the error names this field) is announced with it.
#[component]
pub fn Field(
    label: Msg,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(default = true)] required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The submitted name when it differs from the field's (`actor[name]` for a nested argument).
    #[prop(optional, into)]
    input_name: Option<String>,
    #[prop(optional, into)] value: Option<String>,
    /// The id of a `<datalist>` with suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    /// Limits of a number field, as the server checks them.
    #[prop(optional)]
    min: Option<i64>,
    #[prop(optional)] max: Option<i64>,
    /// `decimal` for numbers with a fraction, where `type="number"` would refuse a comma.
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("feld-{name}");
    let error_id = format!("{id}-fehler");
    let message = move || {
        error
            .get()
            .and_then(|e| e.problem_for(name).map(|problem| problem.text(locale)))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label.text(locale)}</label>
            <input
                id=id
                name=input_name.unwrap_or_else(|| name.to_owned())
                type=kind
                value=value
                autocomplete=autocomplete
                list=list
                min=min.map(|n| n.to_string())
                max=max.map(|n| n.to_string())
                inputmode=inputmode
                required=required
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().is_some().then(|| error_id.clone())
            />
            {move || message().map(|text| view! { <p class="field__error" id=format!("feld-{name}-fehler")>{text}</p> })}
        </div>
    }
}

/// The error of one field that is not a plain [`Field`] (a text area, a group of checkboxes).
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    move || {
        error
            .get()
            .and_then(|e| e.problem_for(field).map(|problem| problem.text(locale)))
            .map(|text| view! { <p class="field__error" id=format!("feld-{field}-fehler")>{text}</p> })
    }
}

/// `aria-invalid` and `aria-describedby` for a control whose error a [`FieldError`] shows.
pub fn invalid_state(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> (
    impl Fn() -> String + Copy + Send + Sync + 'static,
    impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) {
    let has = move || error.get().is_some_and(|e| e.problem_for(field).is_some());
    (
        move || has().to_string(),
        move || has().then(|| format!("feld-{field}-fehler")),
    )
}

/// A page's frame: its title (also its heading), an optional lead, what search engines are told
/// (`description`, and `path` for the canonical address), and its content for the callers
/// `access` allows (for others, why not).
#[component]
pub fn Page(
    title: Msg,
    #[prop(optional)] lead: Option<Msg>,
    #[prop(optional)] description: Option<Msg>,
    #[prop(optional)] path: Option<&'static str>,
    #[prop(default = Access::Public)] access: Access,
    children: ChildrenFn,
) -> impl IntoView {
    let meta = description.map(|description| match path {
        Some(path) => view! { <PageMeta description=t(description) path/> }.into_any(),
        None => view! { <PageMeta description=t(description)/> }.into_any(),
    });
    let content = if access == Access::Public {
        children().into_any()
    } else {
        view! { <Restricted access children/> }.into_any()
    };
    view! {
        <leptos_meta::Title text=t(title)/>
        {meta}
        <h1>{t(title)}</h1>
        {lead.map(|lead| view! { <p class="lead">{t(lead)}</p> })}
        {content}
    }
}

/// The page's content for callers `access` allows, or why not.
#[component]
pub fn Restricted(access: Access, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match session.viewer.await {
                    Ok(Some(viewer)) if access.allows(Some(viewer.role)) => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! { <ErrorNotice error=AppError::Forbidden/> }.into_any(),
                    Ok(None) => view! { <ErrorNotice error=AppError::Unauthenticated/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What a public form sends besides its fields: the token of the page that rendered it, and a
/// honeypot field that people never see or reach (scripts that fill every field give themselves
/// away). See `crate::limits`.
#[component]
pub fn PublicFormGuard(token: String) -> impl IntoView {
    view! {
        <input type="hidden" name="form_token" value=token/>
        <div class="honeypot" aria-hidden="true">
            <label>"Nicht ausfüllen" <input type="text" name="leave_empty" tabindex="-1" autocomplete="off"/></label>
        </div>
    }
}

/// The error of a form that no [`Field`] shows: wrong password, refused, or about a field the form
/// does not list in `fields`.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = &[])] fields: &'static [&'static str],
) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().and_then(|e| {
            let problems = e.problems();
            let text = if problems.is_empty() {
                e.message(locale)
            } else {
                // The problems of fields the form does not show next to a control.
                let elsewhere: Vec<String> = problems
                    .into_iter()
                    .filter(|(field, _)| !fields.contains(field))
                    .map(|(_, problem)| problem.text(locale))
                    .collect();
                if elsewhere.is_empty() {
                    return None;
                }
                elsewhere.join(" ")
            };
            Some(view! { <div class="notice notice--error" role="alert"><p>{text}</p></div> })
        })
    }
}

/// Text that may wrap after each slash ("Intermediär/Wirtschaftsförderung"), where browsers do
/// not break a line on their own.
pub fn break_after_slashes(text: &str) -> impl IntoView {
    text.split_inclusive('/')
        .enumerate()
        .map(|(i, part)| view! { {(i > 0).then(|| view! { <wbr/> })} {part.to_owned()} })
        .collect_view()
}

/// The instance's public address without a trailing slash (`TANDEM_PUBLIC_URL`), the same on
/// the server and in the browser, for absolute links such as the canonical one.
#[derive(Clone, Debug)]
pub struct SiteUrl(pub String);

/// Reads the public address on the server and hands it to the browser with the page.
pub fn provide_site_url() {
    let url = leptos::server::SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<crate::state::AppState>()
                .map(|state| state.config.base_url().to_owned())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            String::new()
        }
    })
    .into_inner();
    provide_context(SiteUrl(url));
}

/// Search engines and link previews: the page's own description (cut to what a result shows)
/// and its canonical address (`path`, without the query); without a path the page asks not to
/// be indexed (personal links, approvals, invitations, pages that do not exist).
#[component]
pub fn PageMeta(
    #[prop(into)] description: String,
    #[prop(optional, into)] path: Option<String>,
) -> impl IntoView {
    const SHOWN: usize = 160;
    let description = match description.char_indices().nth(SHOWN - 1) {
        Some((cut, _)) => format!("{}…", description[..cut].trim_end()),
        None => description,
    };
    let base = use_context::<SiteUrl>().map(|s| s.0).unwrap_or_default();
    let address = match path {
        Some(path) => {
            let url = format!("{base}{path}");
            view! {
                <leptos_meta::Meta property="og:url" content=url.clone()/>
                <leptos_meta::Link rel="canonical" href=url/>
            }
            .into_any()
        }
        None => view! { <leptos_meta::Meta name="robots" content="noindex"/> }.into_any(),
    };
    view! {
        <leptos_meta::Meta name="description" content=description.clone()/>
        <leptos_meta::Meta property="og:description" content=description/>
        {address}
    }
}

/// The count of characters in a text area, and the `on:input` handler that keeps it; the
/// server counts characters too, and `maxlength` stops typing at the limit.
pub fn char_count(initial: &str) -> (RwSignal<usize>, impl Fn(leptos::ev::Event) + Copy) {
    let count = RwSignal::new(initial.chars().count());
    (count, move |ev| {
        count.set(event_target_value(&ev).chars().count())
    })
}

/// "n / max Zeichen" under a text area (see [`char_count`]).
#[component]
pub fn CharCount(#[prop(into)] count: Signal<usize>, max: usize) -> impl IntoView {
    let locale = use_locale();
    view! {
        <p class="field__counter" class:field__counter--full={move || count.get() >= max}>
            {move || Msg::CharsUsed.text(locale).replace("{n}", &count.get().to_string()).replace("{max}", &max.to_string())}
        </p>
    }
}

/// Every actor as a choice for an input with `list="akteure-liste"`, as "Name (Ort)": the
/// browser narrows the list by name or town as one types, and the server reads that choice
/// (see `db::actor_by_choice`).
#[component]
pub fn ActorDatalist(actors: Vec<crate::domain::actor::ActorOption>) -> impl IntoView {
    view! {
        <datalist id="akteure-liste">
            {actors.into_iter().map(|actor| view! { <option value=actor_choice(&actor.name, &actor.town)></option> }).collect_view()}
        </datalist>
    }
}

/// How an actor appears in a choice list and is typed back.
pub fn actor_choice(name: &str, town: &str) -> String {
    format!("{name} ({town})")
}
