//! Case-study server functions. Reading published stories, the playbook and approval links is
//! public; writing is for partners and admins (`EDITORS`); approving is for the partner
//! organisations, through their accounts or personal links.

use super::*;
use crate::domain::case_study::{CaseContent, CaseStatus};
use crate::domain::slug::Slug;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
use crate::guard::authorize;

#[cfg(feature = "ssr")]
use crate::guard::{policy, Access, Effect, Policy, ADMIN, EDITORS};

/// This journey's rows of the policy table (see `crate::guard`).
#[cfg(feature = "ssr")]
pub static POLICIES: &[Policy] = &[
    policy::<ListCaseStudies>(Access::Public, Effect::Read),
    policy::<CaseStudyFn>(Access::Public, Effect::Read),
    policy::<Workspace>(EDITORS, Effect::Read),
    policy::<CreateCaseStudy>(EDITORS, Effect::Write),
    policy::<CaseEditorFn>(EDITORS, Effect::Read),
    policy::<SaveCaseStudy>(EDITORS, Effect::Write),
    policy::<CasePreview>(EDITORS, Effect::Read),
    policy::<AutosaveDraft>(EDITORS, Effect::Write),
    policy::<DiscardDraft>(EDITORS, Effect::Write),
    policy::<CompareRevisions>(EDITORS, Effect::Read),
    policy::<RestoreRevision>(EDITORS, Effect::Write),
    policy::<TakeCaseStep>(EDITORS, Effect::Write),
    policy::<CreateApprovalLinks>(ADMIN, Effect::Write),
    policy::<ApprovalRequestFn>(Access::Public, Effect::Read),
    policy::<DecideApproval>(Access::Public, Effect::Write),
    policy::<NotificationsFn>(Access::SignedIn, Effect::Read),
    policy::<MarkNotificationsRead>(Access::SignedIn, Effect::Write),
    policy::<PlaybookFn>(Access::Public, Effect::Read),
    policy::<PlaybookEditorFn>(EDITORS, Effect::Read),
    policy::<SavePlaybook>(EDITORS, Effect::Write),
];

/// Published case studies matching the filter, newest first.
#[server(prefix = "/api", endpoint = "fallstudien", input = GetUrl)]
pub async fn list_case_studies(filter: CaseFilter) -> Result<CaseList, AppError> {
    let auth = authorize::<ListCaseStudies>().await?;
    super::server::read::list_published(auth.db(), &filter).await
}

/// A published case study.
#[server(name = CaseStudyFn, prefix = "/api", endpoint = "fallstudie", input = GetUrl)]
pub async fn case_study(slug: Slug) -> Result<CaseArticle, AppError> {
    let auth = authorize::<CaseStudyFn>().await?;
    let article = super::server::read::published_article(auth.db(), &slug).await?;
    let mut article = super::server::read::rendered(article, crate::i18n::detect_locale(), 1);
    article.base_url = auth.state.config.base_url().to_owned();
    Ok(article)
}

/// Stories in the works (every status but published), for the editors' overview.
#[server(prefix = "/api", endpoint = "fallstudien/arbeit", input = GetUrl)]
pub async fn workspace() -> Result<Vec<(String, String, CaseStatus, i64)>, AppError> {
    let auth = authorize::<Workspace>().await?;
    super::server::read::workspace(auth.db()).await
}

/// Starts a draft with its title and partners; goes on to the editor.
#[server(prefix = "/api", endpoint = "fallstudie/anlegen")]
pub async fn create_case_study(title: String, partners: Vec<i64>) -> Result<String, AppError> {
    let auth = authorize::<CreateCaseStudy>().await?;
    let slug = super::server::edit::create(auth.db(), auth.viewer()?, &title, partners).await?;
    leptos_axum::redirect(&format!("/fallstudien/{slug}/bearbeiten"));
    Ok(slug)
}

#[server(name = CaseEditorFn, prefix = "/api", endpoint = "fallstudie/editor", input = GetUrl)]
pub async fn case_editor(slug: Slug) -> Result<CaseEditorData, AppError> {
    let auth = authorize::<CaseEditorFn>().await?;
    let locale = crate::i18n::detect_locale();
    super::server::read::editor_data(auth.db(), auth.viewer()?, &slug, locale).await
}

/// Saves the content over `base_version`; a save over an older version comes back as a conflict
/// with both versions.
#[server(prefix = "/api", endpoint = "fallstudie/speichern", input = Json)]
pub async fn save_case_study(
    slug: Slug,
    base_version: i64,
    content: CaseContent,
) -> Result<SaveOutcome, AppError> {
    let auth = authorize::<SaveCaseStudy>().await?;
    super::server::edit::save(auth.db(), auth.viewer()?, &slug, base_version, content).await
}

/// The editor's preview: the content as readers will see it, its title a heading of `level`
/// (2 to 4), rendered here so the markdown renderer stays out of the browser's bundle.
#[server(prefix = "/api", endpoint = "fallstudie/vorschau", input = Json)]
pub async fn case_preview(content: CaseContent, level: u8) -> Result<String, AppError> {
    let auth = authorize::<CasePreview>().await?;
    let locale = crate::i18n::detect_locale();
    super::server::read::preview(auth.db(), content, locale, level.clamp(2, 4)).await
}

/// Keeps the editor's unsaved work; returns when it was kept.
#[server(prefix = "/api", endpoint = "fallstudie/zwischenstand", input = Json)]
pub async fn autosave_draft(
    slug: Slug,
    base_version: i64,
    content: CaseContent,
) -> Result<i64, AppError> {
    let auth = authorize::<AutosaveDraft>().await?;
    super::server::edit::autosave(auth.db(), auth.viewer()?, &slug, base_version, content).await
}

#[server(prefix = "/api", endpoint = "fallstudie/zwischenstand/verwerfen")]
pub async fn discard_draft(slug: Slug) -> Result<(), AppError> {
    let auth = authorize::<DiscardDraft>().await?;
    super::server::edit::discard_draft(auth.db(), auth.viewer()?, &slug).await
}

/// The changes between two revisions, field by field.
#[server(prefix = "/api", endpoint = "fallstudie/vergleich", input = GetUrl)]
pub async fn compare_revisions(slug: Slug, from: i64, to: i64) -> Result<Vec<FieldDiff>, AppError> {
    let auth = authorize::<CompareRevisions>().await?;
    super::server::edit::compare(auth.db(), &slug, from, to).await
}

/// Makes an old revision the newest one.
#[server(prefix = "/api", endpoint = "fallstudie/wiederherstellen")]
pub async fn restore_revision(
    slug: Slug,
    version: i64,
    base_version: i64,
) -> Result<SaveOutcome, AppError> {
    let auth = authorize::<RestoreRevision>().await?;
    super::server::edit::restore(auth.db(), auth.viewer()?, &slug, version, base_version).await
}

/// A workflow step: submit, send back, request approval, publish, withdraw, reopen.
#[server(prefix = "/api", endpoint = "fallstudie/schritt")]
pub async fn take_case_step(
    slug: Slug,
    step: String,
    #[server(default)] comment: String,
    #[server(default)] version: Option<i64>,
) -> Result<CaseStatus, AppError> {
    let auth = authorize::<TakeCaseStep>().await?;
    let step = crate::domain::case_study::CaseStep::from_code(&step).ok_or(AppError::Conflict(
        crate::domain::validation::Problem::StatusStepInvalid,
    ))?;
    super::server::workflow::take_step(auth.db(), auth.viewer()?, &slug, step, &comment, version)
        .await
}

/// Fresh personal approval links for the partners that have not approved yet.
#[server(prefix = "/api", endpoint = "fallstudie/freigabelinks")]
pub async fn create_approval_links(slug: Slug) -> Result<Vec<ApprovalLink>, AppError> {
    let auth = authorize::<CreateApprovalLinks>().await?;
    super::server::workflow::approval_links(auth.db(), &auth.state.config, &slug).await
}

/// The story waiting for a partner organisation's approval: behind a personal link (`token`), or
/// for the signed-in account of one of its partner organisations (`slug`).
#[server(name = ApprovalRequestFn, prefix = "/api", endpoint = "fallstudie/freigabe")]
pub async fn approval_request(
    token: Option<String>,
    slug: Option<String>,
) -> Result<ApprovalRequest, AppError> {
    let auth = authorize::<ApprovalRequestFn>().await?;
    let mut request = match (token, slug) {
        (Some(token), _) => super::server::workflow::approval_request(auth.db(), &token).await,
        (None, Some(slug)) => {
            super::server::workflow::approval_request_for(auth.db(), auth.viewer()?, &slug).await
        }
        (None, None) => Err(AppError::NotFound),
    }?;
    request.article =
        super::server::read::rendered(request.article, crate::i18n::detect_locale(), 2);
    Ok(request)
}

/// A partner organisation decides, through a personal link (`token`) or its account (`slug`):
/// `freigeben`, or `aendern` with a comment.
#[server(prefix = "/api", endpoint = "fallstudie/freigabe/entscheiden")]
pub async fn decide_approval(
    token: Option<String>,
    slug: Option<String>,
    decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let auth = authorize::<DecideApproval>().await?;
    let approve = decision == "freigeben";
    match (token, slug) {
        (Some(token), _) => {
            super::server::workflow::decide_by_token(auth.db(), &token, approve, &comment).await
        }
        (None, Some(slug)) => {
            super::server::workflow::decide_as_partner(
                auth.db(),
                auth.viewer()?,
                &slug,
                approve,
                &comment,
            )
            .await
        }
        (None, None) => Err(AppError::NotFound),
    }
}

#[server(name = NotificationsFn, prefix = "/api", endpoint = "mitteilungen", input = GetUrl)]
pub async fn notifications() -> Result<Vec<Notification>, AppError> {
    let auth = authorize::<NotificationsFn>().await?;
    super::server::workflow::notifications(auth.db(), auth.viewer()?).await
}

#[server(prefix = "/api", endpoint = "mitteilungen/gelesen")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let auth = authorize::<MarkNotificationsRead>().await?;
    super::server::workflow::mark_read(auth.db(), auth.viewer()?).await
}

/// The playbook as a booklet (HTML), in the reader's language.
#[server(name = PlaybookFn, prefix = "/api", endpoint = "playbook", input = GetUrl)]
pub async fn playbook() -> Result<String, AppError> {
    let auth = authorize::<PlaybookFn>().await?;
    super::server::playbook::booklet(auth.db(), crate::i18n::detect_locale()).await
}

#[server(name = PlaybookEditorFn, prefix = "/api", endpoint = "playbook/editor", input = GetUrl)]
pub async fn playbook_editor() -> Result<PlaybookEditorData, AppError> {
    let auth = authorize::<PlaybookEditorFn>().await?;
    super::server::playbook::playbook_editor(auth.db()).await
}

/// Saves the playbook's texts and its chosen stories in order (slugs).
#[server(prefix = "/api", endpoint = "playbook/speichern")]
pub async fn save_playbook(
    intro: String,
    method: String,
    #[server(default)] studies: Vec<String>,
    base_version: i64,
) -> Result<i64, AppError> {
    let auth = authorize::<SavePlaybook>().await?;
    super::server::playbook::save_playbook(auth.db(), &intro, &method, &studies, base_version).await
}
