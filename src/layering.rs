//! The layout rules of the README, checked on the source: every `crate::…` and `super::…` path
//! in a file is resolved to the module it names, and the direction of each is checked.
//!
//! - `domain` imports nothing of the crate outside `domain`.
//! - The shared modules below the journeys import no journey and nothing of the top
//!   (`app`, `server`, `cli`, `testing`).
//! - A journey never reaches into another journey's `server`, `pages` or `routes`; its wire
//!   types (`mod.rs`) and server functions (`api`) are what it offers the others.
//! - Within a journey: `server` imports none of its `api`, `pages` or `routes`, and `api` none
//!   of its `pages` or `routes`.
//! - The files of a journey's `server/` and `pages/` import each other in one direction only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const JOURNEYS: [&str; 4] = ["accounts", "map", "events", "cases"];
const TOP: [&str; 5] = ["app", "server", "cli", "testing", "main"];

type Module = Vec<String>;

struct Source {
    module: Module,
    path: PathBuf,
    /// Code without comments and string literals.
    code: String,
}

fn sources(dir: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("source folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(src()).expect("under src");
            let mut module: Module = relative
                .with_extension("")
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|last| last == "mod" || last == "lib")
            {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("readable source");
            out.push(Source {
                module,
                path,
                code: strip_comments_and_strings(&text),
            });
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Blanks `//` comments and the contents of string literals, so neither counts as a path.
fn strip_comments_and_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    in_string = false;
                    out.push('"');
                }
                '\n' => out.push('\n'),
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push('"');
        } else if c == '/' && chars.peek() == Some(&'/') {
            for rest in chars.by_ref() {
                if rest == '\n' {
                    out.push('\n');
                    break;
                }
            }
        } else if c == '\'' {
            // A char literal such as '"' must not open a string; lifetimes pass through.
            out.push(c);
            let ahead: String = chars.clone().take(3).collect();
            if ahead.starts_with("\\") || ahead.chars().nth(1) == Some('\'') {
                for skipped in chars.by_ref() {
                    if skipped == '\'' {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Every module path the code names, as written after `crate::` or `super::` (resolved).
fn named_paths(source: &Source) -> Vec<Module> {
    let code = &source.code;
    let mut found = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at..];
            let path: Vec<&str> = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or_default()
                .split("::")
                .filter(|segment| !segment.is_empty())
                .collect();
            let mut module: Module = if path[0] == "crate" {
                Vec::new()
            } else {
                // `super` of a file `a/b.rs` is `a`; of `a/b/mod.rs` it is `a` as well.
                let mut base = source.module.clone();
                base.pop();
                base
            };
            for segment in &path[1..] {
                if *segment == "super" {
                    module.pop();
                } else {
                    module.push((*segment).to_owned());
                }
            }
            found.push(module);
        }
    }
    found
}

/// The longest prefix of `path` that is a module of the crate.
fn resolve(path: &Module, modules: &BTreeSet<Module>) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains(prefix))
}

fn part(module: &Module, n: usize) -> Option<&str> {
    module.get(n).map(String::as_str)
}

/// Why `from` may not import `to`, if it may not.
fn violation(from: &Module, to: &Module) -> Option<&'static str> {
    let (from_top, to_top) = (part(from, 0)?, part(to, 0)?);
    let is_journey = |name: &str| JOURNEYS.contains(&name);
    if from_top == "it" || from_top == "layering" {
        return None;
    }
    if from_top == "domain" && to_top != "domain" {
        return Some("domain imports nothing of the crate outside domain");
    }
    let shared = !is_journey(from_top) && !TOP.contains(&from_top);
    if shared && (is_journey(to_top) || TOP.contains(&to_top)) {
        return Some("a shared module imports no journey and nothing above the journeys");
    }
    let inner = |module: &Module| part(module, 1).unwrap_or_default().to_owned();
    if is_journey(from_top)
        && is_journey(to_top)
        && from_top != to_top
        && matches!(inner(to).as_str(), "server" | "pages" | "routes")
    {
        return Some("a journey never reaches into another journey's server, pages or routes");
    }
    if is_journey(from_top) && from_top == to_top {
        let (from_inner, to_inner) = (inner(from), inner(to));
        if from_inner == "server" && matches!(to_inner.as_str(), "api" | "pages" | "routes") {
            return Some("a journey's server imports none of its api, pages or routes");
        }
        if from_inner == "api" && matches!(to_inner.as_str(), "pages" | "routes") {
            return Some("a journey's api imports none of its pages or routes");
        }
    }
    None
}

/// The import edges of the crate between resolved modules, with the file they come from.
fn edges() -> (Vec<(PathBuf, Module, Module)>, BTreeSet<Module>) {
    let mut all = Vec::new();
    sources(&src(), &mut all);
    let modules: BTreeSet<Module> = all.iter().map(|s| s.module.clone()).collect();
    let mut edges = Vec::new();
    for source in &all {
        for path in named_paths(source) {
            if let Some(target) = resolve(&path, &modules) {
                if target != source.module {
                    edges.push((source.path.clone(), source.module.clone(), target));
                }
            }
        }
    }
    (edges, modules)
}

#[test]
fn imports_run_one_way() {
    let (edges, _) = edges();
    assert!(edges.len() > 500, "the scan finds the crate's paths");
    let mut broken = BTreeSet::new();
    for (file, from, to) in &edges {
        if let Some(rule) = violation(from, to) {
            broken.insert(format!(
                "{}: {} → {} ({rule})",
                file.display(),
                from.join("::"),
                to.join("::")
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "imports against the layout rules:\n{}",
        broken.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn files_of_a_journeys_server_and_pages_form_no_circle() {
    let (edges, modules) = edges();
    for journey in JOURNEYS {
        for inner in ["server", "pages"] {
            let folder = vec![journey.to_owned(), inner.to_owned()];
            let members: Vec<&Module> = modules
                .iter()
                .filter(|m| m.len() == 3 && m.starts_with(&folder))
                .collect();
            let mut graph: BTreeMap<&Module, BTreeSet<&Module>> = BTreeMap::new();
            for (_, from, to) in &edges {
                let (Some(from), Some(to)) = (
                    members.iter().find(|m| from.starts_with(m)),
                    members.iter().find(|m| to.starts_with(m)),
                ) else {
                    continue;
                };
                if from != to {
                    graph.entry(*from).or_default().insert(*to);
                }
            }
            if let Some(circle) = find_circle(&graph) {
                panic!(
                    "files of {journey}/{inner} import each other in a circle: {}",
                    circle
                        .iter()
                        .map(|m| m.join("::"))
                        .collect::<Vec<_>>()
                        .join(" → ")
                );
            }
        }
    }
}

/// A circle in `graph`, if there is one (depth-first search with colours).
fn find_circle<'a>(graph: &BTreeMap<&'a Module, BTreeSet<&'a Module>>) -> Option<Vec<&'a Module>> {
    fn visit<'a>(
        node: &'a Module,
        graph: &BTreeMap<&'a Module, BTreeSet<&'a Module>>,
        path: &mut Vec<&'a Module>,
        done: &mut BTreeSet<&'a Module>,
    ) -> Option<Vec<&'a Module>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node);
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_rules_catch_what_they_forbid() {
    let m = |path: &str| -> Module { path.split("::").map(str::to_owned).collect() };
    assert!(violation(&m("domain::event"), &m("db")).is_some());
    assert!(violation(&m("ui"), &m("accounts::api")).is_some());
    assert!(violation(&m("db"), &m("map::server::cache")).is_some());
    assert!(violation(&m("events::server::after"), &m("map::server::edit")).is_some());
    assert!(violation(&m("cases::pages::new"), &m("map::pages::explorer")).is_some());
    assert!(violation(&m("events::server::after"), &m("events::pages::console")).is_some());
    assert!(violation(&m("map::api"), &m("map::pages")).is_some());
    assert!(violation(&m("cases::pages::new"), &m("map::api")).is_none());
    assert!(violation(&m("events::pages::list"), &m("events::api")).is_none());
    assert!(violation(&m("app"), &m("events::pages::list")).is_none());
    let (a, b) = (m("x::server::a"), m("x::server::b"));
    let graph = BTreeMap::from([(&a, BTreeSet::from([&b])), (&b, BTreeSet::from([&a]))]);
    assert!(find_circle(&graph).is_some());
    let one_way = BTreeMap::from([(&a, BTreeSet::from([&b]))]);
    assert!(find_circle(&one_way).is_none());
    let code =
        strip_comments_and_strings("let x = \"crate::map\"; // crate::events\nuse crate::db;");
    assert!(!code.contains("crate::map") && !code.contains("crate::events"));
    assert!(code.contains("crate::db"));
}
