//! What the editors' pages share: the gate and who may manage the map.

use crate::domain::role::Role;
use crate::ui::Restricted;
use leptos::prelude::*;

/// Who may change the map's data: the roles `guard::EDITORS` allows.
pub(crate) fn may_manage(role: Option<Role>) -> bool {
    crate::guard::EDITORS.allows(role)
}

/// Editors only: the page's content, or why not.
#[component]
pub(super) fn EditorsOnly(children: ChildrenFn) -> impl IntoView {
    view! { <Restricted access=crate::guard::EDITORS children/> }
}
