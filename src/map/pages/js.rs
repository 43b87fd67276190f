//! The thin binding to `public/karte/tandem-karte.js` (which draws with Leaflet): take over the
//! renderer the script started from the element's attributes (or start it, after a client-side
//! navigation), then pass filter, month and selection on as they change. The server links the
//! renderer into map pages only, so a client-side navigation from another page loads it first.

use crate::map::{RENDERER_SCRIPTS, RENDERER_STYLE};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = TandemMap, js_name = mount, catch)]
    fn mount(
        element: &web_sys::HtmlElement,
        on_select: &Closure<dyn Fn(String)>,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = TandemMap, js_name = load)]
    fn load(map: &JsValue, query: &str);
    #[wasm_bindgen(js_namespace = TandemMap, js_name = setMonth)]
    fn set_month(map: &JsValue, month: i32);
    #[wasm_bindgen(js_namespace = TandemMap, js_name = select)]
    fn select(map: &JsValue, slug: &str);
    #[wasm_bindgen(js_namespace = TandemMap, js_name = unmount)]
    fn unmount(map: &JsValue);
    #[wasm_bindgen(js_namespace = TandemMap, js_name = pick, catch)]
    fn pick(element: &web_sys::HtmlElement) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = TandemMap, js_name = unpick)]
    fn unpick(picker: &JsValue);
}

thread_local! {
    /// The one load of the renderer's files, shared by every map on the page.
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// True once the renderer's scripts have run: at once where the server linked them, otherwise
/// after loading them.
fn use_renderer() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| {
        if js_sys::Reflect::has(&window(), &JsValue::from_str("TandemMap")).unwrap_or(false) {
            set_ready.set(true);
            return;
        }
        let loading = LOADING.with_borrow_mut(|loading| {
            loading
                .get_or_insert_with(|| {
                    wasm_bindgen_futures::future_to_promise(async {
                        load_renderer().await.map(|()| JsValue::UNDEFINED)
                    })
                })
                .clone()
        });
        leptos::task::spawn_local(async move {
            match JsFuture::from(loading).await {
                Ok(_) => {
                    set_ready.try_set(true);
                }
                Err(error) => {
                    // The next map page tries again.
                    LOADING.with_borrow_mut(Option::take);
                    leptos::logging::error!("map renderer not loaded: {error:?}");
                }
            }
        });
    });
    ready
}

/// Adds Leaflet's style sheet and runs the scripts one after the other (the renderer needs
/// Leaflet, and the map its styles); what was added goes again if any of it fails, so the next
/// try starts clean.
async fn load_renderer() -> Result<(), JsValue> {
    let document = document();
    let head = document
        .query_selector("head")?
        .ok_or_else(|| JsValue::from_str("no head"))?;
    let mut added = Vec::new();
    let loaded = async {
        let style = document.create_element("link")?;
        style.set_attribute("rel", "stylesheet")?;
        style.set_attribute("href", RENDERER_STYLE)?;
        added.push(style.clone());
        append_loaded(&head, &style).await?;
        for src in RENDERER_SCRIPTS {
            let script = document.create_element("script")?;
            script.set_attribute("src", src)?;
            added.push(script.clone());
            append_loaded(&head, &script).await?;
        }
        Ok(())
    }
    .await;
    if loaded.is_err() {
        for element in added {
            element.remove();
        }
    }
    loaded
}

/// Appends `element` to `head` and waits until it has loaded.
async fn append_loaded(head: &web_sys::Element, element: &web_sys::Element) -> Result<(), JsValue> {
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = element.add_event_listener_with_callback("load", &resolve);
        let _ = element.add_event_listener_with_callback("error", &reject);
    });
    head.append_child(element)?;
    JsFuture::from(loaded).await.map(|_| ())
}

/// Starts the position picker on its element (the script started it already when the page came
/// from the server) and stops it with the component.
pub fn bind_picker(element: NodeRef<leptos::html::Div>) {
    let picker = StoredValue::new_local(None::<JsValue>);
    let renderer = use_renderer();
    Effect::new(move |_| {
        if !renderer.get() {
            return;
        }
        if let Some(div) = element.get() {
            match pick(&div) {
                Ok(handle) => picker.set_value(Some(handle)),
                Err(error) => leptos::logging::error!("position picker missing: {error:?}"),
            }
        }
    });
    on_cleanup(move || {
        if let Some(handle) = picker.try_update_value(Option::take).flatten() {
            unpick(&handle);
        }
    });
}

type Mounted = (JsValue, Closure<dyn Fn(String)>);

pub fn bind(
    element: NodeRef<leptos::html::Div>,
    filter: Signal<String>,
    month: RwSignal<Option<i32>>,
    selected: Signal<Option<String>>,
    on_select: impl Fn(String) + Clone + 'static,
) {
    let mounted = StoredValue::new_local(None::<Mounted>);
    let ready = RwSignal::new(false);
    let renderer = use_renderer();
    Effect::new(move |_| {
        let Some(div) = element.get().filter(|_| renderer.get()) else {
            return;
        };
        if ready.get_untracked() {
            return;
        }
        let callback = Closure::<dyn Fn(String)>::new(on_select.clone());
        match mount(&div, &callback) {
            Ok(map) => {
                mounted.set_value(Some((map, callback)));
                ready.set(true);
            }
            Err(error) => leptos::logging::error!("map renderer missing: {error:?}"),
        }
    });
    let with_map = move |f: &dyn Fn(&JsValue)| {
        mounted.with_value(|m| {
            if let Some((map, _)) = m {
                f(map)
            }
        })
    };
    Effect::new(move |_| {
        let query = filter.get();
        if ready.get() {
            with_map(&|map| load(map, &query));
        }
    });
    Effect::new(move |_| {
        let month = month.get().unwrap_or(-1);
        if ready.get() {
            with_map(&|map| set_month(map, month));
        }
    });
    Effect::new(move |_| {
        let slug = selected.get().unwrap_or_default();
        if ready.get() {
            with_map(&|map| select(map, &slug));
        }
    });
    on_cleanup(move || {
        // Unmount before the callback is dropped, so Leaflet never calls a dead closure.
        if let Some((map, callback)) = mounted.try_update_value(Option::take).flatten() {
            unmount(&map);
            drop(callback);
        }
    });
}
