//! `/karte/import`: CSV import with a dry run and progress.

use crate::domain::import::ImportKind;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::map::api::{import_csv, import_progress};
use crate::map::{ImportProgress, ImportReport, ImportState};
use crate::ui::ErrorNotice;
use crate::ui::Page;
use leptos::prelude::*;

#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <Page title=Msg::ImportTitle lead=Msg::ImportLead access=EDITORS>
            <ImportForm/>
        </Page>
    }
}

#[component]
pub(super) fn ImportForm() -> impl IntoView {
    let locale = use_locale();
    let kind = RwSignal::new(ImportKind::Actors.code().to_owned());
    let text = RwSignal::new(String::new());
    let import = Action::new(|(kind, csv, apply): &(String, String, bool)| {
        import_csv(kind.clone(), csv.clone(), *apply)
    });
    // The text the last successful dry run checked: only that text may be imported.
    let checked = RwSignal::new(None::<(String, String)>);
    let report = import.value();
    Effect::new(move |_| {
        if let Some(Ok(report)) = report.get() {
            if report.problems.is_empty() && report.job.is_none() {
                checked.set(Some((kind.get_untracked(), text.get_untracked())));
            }
        }
    });
    let job = Memo::new(move |_| report.get().and_then(|r| r.ok()).and_then(|r| r.job));
    let tick = RwSignal::new(0u32);
    let progress = Resource::new(
        move || (job.get(), tick.get()),
        |(job, _)| async move {
            match job {
                Some(job) => import_progress(job).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // Polls while an import runs; stops by itself when it has finished.
    Effect::new(move |_| {
        if job.get().is_some() {
            let handle = set_interval_with_handle(
                move || {
                    let running = progress
                        .try_get()
                        .flatten()
                        .and_then(|p| p.ok())
                        .flatten()
                        .is_none_or(|p| p.state == ImportState::Running);
                    if running {
                        tick.try_update(|t| *t += 1);
                    }
                },
                std::time::Duration::from_millis(300),
            );
            if let Ok(handle) = handle {
                on_cleanup(move || handle.clear());
            }
        }
    });
    let ready_to_import =
        move || checked.get() == Some((kind.get(), text.get())) && job.get().is_none();
    #[cfg(feature = "hydrate")]
    let read_file = move |event: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            leptos::task::spawn_local(async move {
                if let Ok(content) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    text.set(content.as_string().unwrap_or_default());
                }
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let read_file = |_event: leptos::ev::Event| {};
    view! {
        <form class="form form--wide" on:submit=move |event| {
            event.prevent_default();
            import.dispatch((kind.get_untracked(), text.get_untracked(), false));
        }>
            <div class="field">
                <label for="import-art">{t(Msg::ImportKind)}</label>
                <select id="import-art" on:change=move |e| kind.set(event_target_value(&e)) prop:value=move || kind.get()>
                    <option value=ImportKind::Actors.code()>{t(Msg::StatActors)}</option>
                    <option value=ImportKind::Connections.code()>{t(Msg::StatConnections)}</option>
                </select>
            </div>
            <div class="field">
                <label for="import-datei">{t(Msg::ImportFile)}</label>
                <input id="import-datei" type="file" accept=".csv,text/csv" on:change=read_file/>
            </div>
            <div class="field">
                <label for="import-text">{t(Msg::ImportText)}</label>
                <textarea id="import-text" rows="10" spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |e| text.set(event_target_value(&e))
                    aria-describedby="import-hilfe"></textarea>
                <p id="import-hilfe" class="muted">
                    {move || if kind.get() == ImportKind::Actors.code() { t(Msg::ImportActorColumns) } else { t(Msg::ImportConnectionColumns) }}
                </p>
            </div>
            <div class="button-row">
                <button type="submit" class="button">{t(Msg::ImportCheck)}</button>
                <button type="button" class="button" disabled=move || !ready_to_import()
                    on:click=move |_| { import.dispatch((kind.get_untracked(), text.get_untracked(), true)); }>
                    {t(Msg::ImportRun)}
                </button>
            </div>
        </form>
        <div aria-live="polite">
            {move || report.get().map(|result| match result {
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                Ok(report) => view! { <ReportView report/> }.into_any(),
            })}
            <Transition>
                {move || Suspend::new(async move {
                    progress.await.ok().flatten().map(|p: ImportProgress| {
                        let text = match &p.state {
                            ImportState::Running => format!("{} {} / {}", t(Msg::ImportRunning), p.done, p.total),
                            ImportState::Done { imported } => format!("{} {imported}", Msg::ImportDone.text(locale)),
                            ImportState::Failed => Msg::ImportFailed.text(locale).to_owned(),
                        };
                        view! {
                            <div class="import-progress" data-state=format!("{:?}", p.state).to_lowercase()>
                                <label for="import-fortschritt">{t(Msg::ImportProgressLabel)}</label>
                                <progress id="import-fortschritt" max=p.total.max(1) value=p.done></progress>
                                <p>{text}</p>
                            </div>
                        }
                    })
                })}
            </Transition>
        </div>
    }
}

#[component]
pub(super) fn ReportView(report: ImportReport) -> impl IntoView {
    let locale = use_locale();
    if report.problems.is_empty() {
        let message = if report.job.is_some() {
            Msg::ImportStarted
        } else {
            Msg::ImportCheckedOk
        };
        return view! {
            <div class="notice"><p>{t(message)} " (" {report.rows} " " {t(Msg::ImportRows)} ")"</p></div>
        }
        .into_any();
    }
    view! {
        <div class="notice notice--error" role="alert">
            <p>{t(Msg::ImportProblems)} " (" {report.problems.len()} ")"</p>
        </div>
        <table class="data-table import-problems">
            <thead>
                <tr>
                    <th scope="col">{t(Msg::ImportLine)}</th>
                    <th scope="col">{t(Msg::ImportField)}</th>
                    <th scope="col">{t(Msg::ImportReason)}</th>
                </tr>
            </thead>
            <tbody>
                {report.problems.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.line}</td>
                        <td>{p.column}</td>
                        <td>{p.problem.text(locale)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
