//! `/playbook` (the booklet: on screen, printed, exported as one HTML file) and
//! `/playbook/bearbeiten` (introduction, method, and which published stories it holds).

use crate::cases::api::{playbook, playbook_editor, SavePlaybook};
use crate::cases::PlaybookEditorData;
use crate::domain::case_study::SECTION_MAX;
use crate::guard::EDITORS;
use crate::i18n::{t, Msg};
use crate::ui::Allowed;
use crate::ui::Page;
use crate::ui::{action_error, char_count, CharCount, FieldError, FormError, Loaded, PageMeta};
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};

#[component]
pub fn PlaybookPage() -> impl IntoView {
    let book = Resource::new(|| (), |_| playbook());
    view! {
        <Title text=t(Msg::PlaybookTitle)/>
        <PageMeta description=t(Msg::PlaybookSubtitle) path="/playbook"/>
        <Stylesheet id="booklet" href="/booklet.css"/>
        <div class="playbook-tools">
            <button type="button" class="button" on:click=|_| { let _ = window().print(); }>{t(Msg::PlaybookPrint)}</button>
            <a class="button button--secondary" href="/playbook/export.html" rel="external" download="tandem-playbook.html">{t(Msg::PlaybookExport)}</a>
            <Allowed access=EDITORS>
                <a href="/playbook/bearbeiten">{t(Msg::PlaybookEdit)}</a>
            </Allowed>
        </div>
        <Loaded resource=book ready={move |book: String| view! {
            <div class="booklet" inner_html=book></div>
        }}/>
    }
}

#[component]
pub fn PlaybookEditPage() -> impl IntoView {
    view! {
        <Page title=Msg::PlaybookEdit access=EDITORS>
            <PlaybookForm/>
        </Page>
    }
}

#[component]
fn PlaybookForm() -> impl IntoView {
    let save = ServerAction::<SavePlaybook>::new();
    let error = action_error(save);
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || saved.get(), |_| playbook_editor());
    view! {
        {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
            <div class="notice" role="status"><p>{t(Msg::PlaybookSaved)} " " <a href="/playbook">{t(Msg::PlaybookTitle)}</a></p></div>
        })}
        <FormError error fields=&["intro", "method"]/>
        <Loaded resource=data ready={move |data: PlaybookEditorData| {
            let (intro_count, intro_input) = char_count(&data.intro);
            let (method_count, method_input) = char_count(&data.method);
            view! {
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="base_version" value=data.version/>
                <div class="field">
                    <label for="feld-intro">{t(Msg::PlaybookIntro)}</label>
                    <p class="field__hint" id="feld-intro-hinweis">{t(Msg::CaseMarkdownHint)}</p>
                    <textarea id="feld-intro" name="intro" rows="8" aria-describedby="feld-intro-hinweis"
                        maxlength=SECTION_MAX on:input=intro_input>{data.intro.clone()}</textarea>
                    <CharCount count=intro_count max=SECTION_MAX/>
                    <FieldError error field="intro"/>
                </div>
                <div class="field">
                    <label for="feld-method">{t(Msg::PlaybookMethod)}</label>
                    <p class="field__hint" id="feld-method-hinweis">{t(Msg::PlaybookMethodHint)}</p>
                    <textarea id="feld-method" name="method" rows="12" aria-describedby="feld-method-hinweis"
                        maxlength=SECTION_MAX on:input=method_input>{data.method.clone()}</textarea>
                    <CharCount count=method_count max=SECTION_MAX/>
                    <FieldError error field="method"/>
                </div>
                <fieldset class="field">
                    <legend>{t(Msg::PlaybookStudies)}</legend>
                    {data.published.is_empty().then(|| view! { <p>{t(Msg::CasesEmpty)}</p> })}
                    {data.published.iter().enumerate().map(|(i, (slug, title, chosen))| view! {
                        <label class="checkbox">
                            <input type="checkbox" name=format!("studies[{i}]") value=slug.clone() checked=*chosen/>
                            {title.clone()}
                        </label>
                    }).collect_view()}
                    <FieldError error field="studies"/>
                </fieldset>
                <button type="submit" class="button">{t(Msg::PlaybookSave)}</button>
            </ActionForm>
        }}}/>
    }
}
