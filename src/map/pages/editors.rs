//! What the editors' pages share: their gate.

use crate::ui::Restricted;
use leptos::prelude::*;

/// Editors only: the page's content, or why not.
#[component]
pub(super) fn EditorsOnly(children: ChildrenFn) -> impl IntoView {
    view! { <Restricted access=crate::guard::EDITORS children/> }
}
