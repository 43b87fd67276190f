//! The thin binding to `public/karte/tandem-karte.js` (which draws with Leaflet): take over the
//! renderer the script started from the element's attributes (or start it, after a client-side
//! navigation), then pass filter, month and selection on as they change.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

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

/// Starts the position picker on its element (the script started it already when the page came
/// from the server) and stops it with the component.
pub fn bind_picker(element: NodeRef<leptos::html::Div>) {
    let picker = StoredValue::new_local(None::<JsValue>);
    Effect::new(move |_| {
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
    Effect::new(move |_| {
        let Some(div) = element.get() else {
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
