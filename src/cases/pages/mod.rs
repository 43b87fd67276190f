//! The case studies' pages and the labels they share.

pub mod approval;
pub mod editor;
pub mod editor_fields;
pub mod list;
pub mod new;
pub mod notifications;
pub mod playbook;
pub mod revisions;
pub mod story;
pub mod workflow;

use crate::domain::case_study::{CaseStatus, CaseStep};
use crate::i18n::Msg;

pub fn status_label(status: CaseStatus) -> Msg {
    match status {
        CaseStatus::Draft => Msg::CaseStatusDraft,
        CaseStatus::Review => Msg::CaseStatusReview,
        CaseStatus::Approval => Msg::CaseStatusApproval,
        CaseStatus::Published => Msg::CaseStatusPublished,
        CaseStatus::Withdrawn => Msg::CaseStatusWithdrawn,
    }
}

/// How a history entry or notification names a step.
pub fn step_label(code: &str) -> Msg {
    match CaseStep::from_code(code) {
        Some(CaseStep::Submit) => Msg::StepSubmitted,
        Some(CaseStep::SendBack) => Msg::StepSentBack,
        Some(CaseStep::RequestApproval) => Msg::StepApprovalRequested,
        Some(CaseStep::Approve) => Msg::StepApproved,
        Some(CaseStep::Publish) => Msg::StepPublished,
        Some(CaseStep::Withdraw) => Msg::StepWithdrawn,
        Some(CaseStep::Reopen) => Msg::StepReopened,
        None => Msg::StepCreated,
    }
}

/// The button text of a step.
fn step_action(step: CaseStep) -> Msg {
    match step {
        CaseStep::Submit => Msg::DoSubmit,
        CaseStep::SendBack => Msg::DoSendBack,
        CaseStep::RequestApproval => Msg::DoRequestApproval,
        CaseStep::Approve => Msg::DoApprove,
        CaseStep::Publish => Msg::DoPublish,
        CaseStep::Withdraw => Msg::DoWithdraw,
        CaseStep::Reopen => Msg::DoReopen,
    }
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
