//! Live view: Victron devices in range over Web Bluetooth. This is the only module that touches the radio; it
//! hands the raw manufacturer data to `smallbms_core::readout` and shows what that decodes. Read-only: nothing
//! is ever sent to a device. Keys stay in this browser, and are stored only when the user asks.
use crate::i18n::{tr, use_lang, Lang, T};
use leptos::prelude::*;
use serde_json::Value;
use smallbms_core::document::Document;
use smallbms_core::readout::{self, Readout, ReadoutError, COMPANY_ID};
use smallbms_core::system::mirror::{counterpart, Counterpart};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// After this long without a new advertisement, a device's values are shown as stale.
pub const STALE_AFTER_MS: f64 = 30_000.0;
const KEY_STORAGE_PREFIX: &str = "smallbms.key.";

/// What the browser offers, and what to do when it offers too little.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Web Bluetooth with advertisement watching: everything works.
    Full,
    /// No `navigator.bluetooth` at all.
    NoBluetooth,
    /// Devices can be chosen but advertisements cannot be watched (the experimental flag is off).
    NoAdvertisements,
    /// Not a secure context (https or localhost): the browser hides Bluetooth.
    Insecure,
}

impl Support {
    pub fn detect() -> Support {
        let Some(window) = web_sys::window() else {
            return Support::NoBluetooth;
        };
        if !window.is_secure_context() {
            return Support::Insecure;
        }
        if window.navigator().bluetooth().is_none() {
            return Support::NoBluetooth;
        }
        let proto = js_sys::Reflect::get(&window, &"BluetoothDevice".into())
            .and_then(|c| js_sys::Reflect::get(&c, &"prototype".into()))
            .and_then(|p| js_sys::Reflect::get(&p, &"watchAdvertisements".into()));
        match proto {
            Ok(f) if f.is_function() => Support::Full,
            _ => Support::NoAdvertisements,
        }
    }

    /// Precise guidance: which browser, which flag.
    pub fn guidance(self, lang: Lang) -> &'static str {
        match self {
            Support::Full => "",
            Support::NoBluetooth => T::BtNone.get(lang),
            Support::NoAdvertisements => T::BtNoAdvertisements.get(lang),
            Support::Insecure => T::BtInsecure.get(lang),
        }
    }
}

/// Why a device's values cannot be shown; told in the page's language when drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The entered key is not 32 hex digits (the parser's words).
    BadKey(String),
    /// The record is encrypted and no key was entered.
    KeyRequired,
    /// The decoder refused the advertisement (its words: wrong key, short record, …).
    Readout(String),
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Problem::BadKey(e) => format!("{} {e}", T::KeyInvalid.get(lang)),
            Problem::KeyRequired => T::KeyRequired.get(lang).into(),
            Problem::Readout(e) => e.clone(),
        }
    }
}

/// One device in range, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveDevice {
    pub id: String,
    pub name: String,
    pub key_text: String,
    pub remember_key: bool,
    pub rssi: Option<i8>,
    pub last_seen_ms: Option<f64>,
    pub last_nonce: Option<u16>,
    pub advertisements: u32,
    pub duplicates: u32,
    pub raw_hex: String,
    pub decoded: Option<Readout>,
    /// Why the last advertisement could not be shown, in plain words.
    pub problem: Option<Problem>,
}

impl LiveDevice {
    fn new(id: String, name: String) -> LiveDevice {
        let key_text = stored_key(&id).unwrap_or_default();
        let remember_key = !key_text.is_empty();
        LiveDevice {
            id,
            name,
            key_text,
            remember_key,
            rssi: None,
            last_seen_ms: None,
            last_nonce: None,
            advertisements: 0,
            duplicates: 0,
            raw_hex: String::new(),
            decoded: None,
            problem: None,
        }
    }

    /// Takes one advertisement's manufacturer data: drops a repeated nonce (the device re-sends the same
    /// record many times, ble.md §1.3), then decodes with the device's key.
    pub fn receive(&mut self, payload: &[u8], rssi: Option<i8>, now_ms: f64) {
        self.rssi = rssi;
        self.last_seen_ms = Some(now_ms);
        self.advertisements += 1;
        let nonce = readout::parse_header(payload).ok().map(|h| h.nonce);
        if nonce.is_some() && nonce == self.last_nonce && self.decoded.is_some() {
            self.duplicates += 1;
            return;
        }
        self.last_nonce = nonce;
        self.raw_hex = readout::to_hex(payload);
        self.decode_latest(payload);
    }

    fn decode_latest(&mut self, payload: &[u8]) {
        let key = if self.key_text.trim().is_empty() {
            None
        } else {
            match readout::parse_key(&self.key_text) {
                Ok(k) => Some(k),
                Err(e) => {
                    self.problem = Some(Problem::BadKey(e.to_string()));
                    self.decoded = None;
                    return;
                }
            }
        };
        match readout::decode(payload, key.as_ref()) {
            Ok(r) => {
                self.decoded = Some(r);
                self.problem = None;
            }
            Err(e) => {
                self.decoded = None;
                self.problem = Some(match e {
                    ReadoutError::KeyRequired { .. } => Problem::KeyRequired,
                    other => Problem::Readout(other.to_string()),
                });
            }
        }
    }

    /// Re-decodes the last advertisement, e.g. after the key was edited.
    pub fn redecode(&mut self) {
        if let Ok(bytes) = readout::parse_hex(&self.raw_hex) {
            if !bytes.is_empty() {
                self.decode_latest(&bytes);
            }
        }
    }

    pub fn is_stale(&self, now_ms: f64) -> bool {
        self.last_seen_ms
            .is_some_and(|t| now_ms - t > STALE_AFTER_MS)
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn stored_key(id: &str) -> Option<String> {
    storage().and_then(|s| {
        s.get_item(&format!("{KEY_STORAGE_PREFIX}{id}"))
            .ok()
            .flatten()
    })
}

fn store_key(id: &str, key: Option<&str>) {
    if let Some(s) = storage() {
        let name = format!("{KEY_STORAGE_PREFIX}{id}");
        let _ = match key {
            Some(k) => s.set_item(&name, k),
            None => s.remove_item(&name),
        };
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The `requestDevice` options: Victron's company id with the Instant Readout prefix 0x10, and
/// `optionalManufacturerData` so the advertisement's bytes are exposed (ble.md §7.2). web-sys has no setter for
/// either shape, so they are set as plain properties.
fn request_options() -> Result<web_sys::RequestDeviceOptions, JsValue> {
    let mfr = js_sys::Object::new();
    js_sys::Reflect::set(
        &mfr,
        &"companyIdentifier".into(),
        &JsValue::from(COMPANY_ID),
    )?;
    js_sys::Reflect::set(
        &mfr,
        &"dataPrefix".into(),
        &js_sys::Uint8Array::from(&[0x10u8][..]),
    )?;
    js_sys::Reflect::set(
        &mfr,
        &"mask".into(),
        &js_sys::Uint8Array::from(&[0xFFu8][..]),
    )?;
    let filter = web_sys::BluetoothLeScanFilterInit::new();
    js_sys::Reflect::set(
        &filter,
        &"manufacturerData".into(),
        &js_sys::Array::of1(&mfr),
    )?;
    let opts = web_sys::RequestDeviceOptions::new();
    opts.set_filters(&[filter]);
    js_sys::Reflect::set(
        &opts,
        &"optionalManufacturerData".into(),
        &js_sys::Array::of1(&JsValue::from(COMPANY_ID)),
    )?;
    Ok(opts)
}

fn manufacturer_bytes(ev: &web_sys::BluetoothAdvertisingEvent) -> Option<Vec<u8>> {
    let view: js_sys::DataView = ev.manufacturer_data().get(COMPANY_ID)?;
    let bytes = js_sys::Uint8Array::new_with_byte_offset_and_length(
        &view.buffer(),
        view.byte_offset() as u32,
        view.byte_length() as u32,
    );
    Some(bytes.to_vec())
}

fn js_error_text(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Asks the user for a device (this must run inside the click handler: `requestDevice` needs a user gesture),
/// then watches its advertisements and feeds them into `devices`.
fn connect(devices: RwSignal<Vec<LiveDevice>>, status: RwSignal<Option<String>>, lang: Lang) {
    let Some(bt) = web_sys::window().and_then(|w| w.navigator().bluetooth()) else {
        status.set(Some(Support::NoBluetooth.guidance(lang).into()));
        return;
    };
    let opts = match request_options() {
        Ok(o) => o,
        Err(e) => {
            status.set(Some(js_error_text(&e)));
            return;
        }
    };
    let promise = bt.request_device(&opts);
    status.set(Some(T::BtChoose.get(lang).into()));
    wasm_bindgen_futures::spawn_local(async move {
        let device: web_sys::BluetoothDevice =
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(d) => d.unchecked_into(),
                Err(e) => {
                    let text = js_error_text(&e);
                    status.set(Some(if text.contains("cancel") {
                        T::BtNoneChosen.get(lang).into()
                    } else {
                        format!("{} {text}", T::BtCouldNotGet.get(lang))
                    }));
                    return;
                }
            };
        let id = device.id();
        let name = device.name().unwrap_or_else(|| "Victron device".into());
        devices.update(|list| {
            if !list.iter().any(|d| d.id == id) {
                list.push(LiveDevice::new(id.clone(), name.clone()));
            }
        });
        let handler_id = id.clone();
        let on_adv = Closure::<dyn FnMut(web_sys::BluetoothAdvertisingEvent)>::new(
            move |ev: web_sys::BluetoothAdvertisingEvent| {
                let Some(bytes) = manufacturer_bytes(&ev) else {
                    return;
                };
                let rssi = ev.rssi();
                devices.update(|list| {
                    if let Some(d) = list.iter_mut().find(|d| d.id == handler_id) {
                        d.receive(&bytes, rssi, now_ms());
                    }
                });
            },
        );
        device.set_onadvertisementreceived(Some(on_adv.as_ref().unchecked_ref()));
        // The handler lives as long as the page: the device keeps advertising until the tab closes.
        on_adv.forget();
        match wasm_bindgen_futures::JsFuture::from(device.watch_advertisements()).await {
            Ok(_) => status.set(Some(format!("{} {name}.", T::BtListening.get(lang)))),
            Err(e) => status.set(Some(format!(
                "{name}: {} {}. {}",
                T::BtCannotWatch.get(lang),
                js_error_text(&e),
                Support::NoAdvertisements.guidance(lang)
            ))),
        }
    });
}

/// The decoded record as table rows: (JSON key, value with its unit in the key's name). Nested objects (the
/// alarm channels) become `parent.child` rows; an error object shows its text and number.
fn field_rows(record: &Value) -> Vec<(String, String)> {
    fn shown(v: &Value) -> String {
        match v {
            Value::Null => "n/a".to_string(),
            Value::String(s) => s.clone(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
                _ => n.to_string(),
            },
            other => other.to_string(),
        }
    }
    let mut rows = Vec::new();
    let Some(obj) = record.as_object() else {
        return rows;
    };
    for (k, v) in obj {
        match v {
            Value::Object(inner) if inner.contains_key("code") && inner.contains_key("text") => {
                let text = inner.get("text").map(shown).unwrap_or_default();
                let code = inner.get("code").map(shown).unwrap_or_default();
                rows.push((k.clone(), format!("{text} (#{code})")));
            }
            Value::Object(inner) => {
                rows.extend(
                    inner
                        .iter()
                        .map(|(ik, iv)| (format!("{k}.{ik}"), shown(iv))),
                );
            }
            other => rows.push((k.clone(), shown(other))),
        }
    }
    rows
}

#[component]
fn DeviceCard(
    index: usize,
    devices: RwSignal<Vec<LiveDevice>>,
    clock: RwSignal<f64>,
    config: Signal<Document>,
) -> impl IntoView {
    let lang = use_lang();
    let dev = move || devices.with(|l| l.get(index).cloned());
    let set_key = move |text: String| {
        devices.update(|l| {
            if let Some(d) = l.get_mut(index) {
                d.key_text = text;
                if d.remember_key {
                    store_key(&d.id, Some(&d.key_text));
                }
                d.redecode();
            }
        })
    };
    let set_remember = move |on: bool| {
        devices.update(|l| {
            if let Some(d) = l.get_mut(index) {
                d.remember_key = on;
                store_key(&d.id, on.then_some(d.key_text.as_str()));
            }
        })
    };
    view! {
        {move || dev().map(|d| {
            let stale = d.is_stale(clock.get());
            let json = d.decoded.as_ref().map(|r| r.to_json());
            let title = json.as_ref()
                .and_then(|j| j.get("record_name").and_then(|v| v.as_str()).map(str::to_string))
                .unwrap_or_default();
            let rows = json.as_ref().and_then(|j| j.get("record")).map(field_rows).unwrap_or_default();
            let mirror = d.decoded.as_ref().map(|r| config.with(|doc| match counterpart(&r.record, &doc.system) {
                Counterpart::Bms => T::MirrorBms.get(lang()).to_string(),
                Counterpart::Bank => T::MirrorBank.get(lang()).to_string(),
                Counterpart::Devices(list) => format!("{} {}.", T::MirrorDevices.get(lang()), list.iter()
                    .filter_map(|i| doc.system.devices.get(*i).map(|x| x.name.clone())).collect::<Vec<_>>().join(", ")),
                Counterpart::None => T::MirrorNone.get(lang()).to_string(),
            }));
            view! {
                <article class="panel live-device" data-device=d.id.clone()>
                    <h3>{d.name.clone()} <span class="muted">" " {title}</span></h3>
                    <p class="muted">
                        "RSSI " <span class="rssi">{d.rssi.map(|r| format!("{r} dBm")).unwrap_or("–".into())}</span>
                        " · " {d.advertisements} " " {tr(T::Advertisements)} " (" {d.duplicates} " " {tr(T::RepeatsSkipped)} ")"
                        {d.last_seen_ms.map(|t| format!(" · {} {:.0} s", T::LastSeen.get(lang()), ((clock.get() - t) / 1000.0).max(0.0)))}
                    </p>
                    {stale.then(|| view! { <p class="stale">{tr(T::Stale)}</p> })}
                    <div class="row">
                        <label>{tr(T::ReadoutKey)}
                            <input type="text" class="key" spellcheck="false" autocomplete="off" placeholder=tr(T::HexDigits)
                                prop:value=d.key_text.clone()
                                on:change=move |ev| set_key(event_target_value(&ev)) />
                        </label>
                        <label class="inline">
                            <input type="checkbox" class="remember" prop:checked=d.remember_key
                                on:change=move |ev| set_remember(event_target_checked(&ev)) />
                            {tr(T::RememberKey)}
                        </label>
                    </div>
                    {d.problem.clone().map(|p| view! { <p class="notice error problem" role="alert">{move || p.text(lang())}</p> })}
                    {mirror.map(|m| view! { <p class="muted mirror">{m}</p> })}
                    {(!rows.is_empty()).then(|| view! {
                        <table class="fields">
                            <tbody>
                                {rows.into_iter().map(|(k, v)| view! { <tr data-field=k.clone()><th>{k.replace('_', " ")}</th><td>{v}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    <details><summary>{tr(T::RawAdvertisement)}</summary><code class="hex">{d.raw_hex.clone()}</code></details>
                </article>
            }
        })}
    }
}

/// The Live view.
#[component]
pub fn LiveView(devices: RwSignal<Vec<LiveDevice>>, config: Signal<Document>) -> impl IntoView {
    let doc = config;
    let support = Support::detect();
    let lang = use_lang();
    let status = RwSignal::new(None::<String>);
    let clock = RwSignal::new(now_ms());
    let tick = set_interval_with_handle(
        move || clock.set(now_ms()),
        core::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });
    view! {
        <section class="panel wide">
            <h2>{tr(T::TabLive)}</h2>
            <p class="muted">{tr(T::LiveIntro)}</p>
            {(support != Support::Full).then(|| view! { <p class="notice warning" id="bt-support">{move || support.guidance(lang())}</p> })}
            <button id="bt-connect" disabled=support == Support::NoBluetooth || support == Support::Insecure
                on:click=move |_| connect(devices, status, untrack(lang))>{tr(T::Connect)}</button>
            {move || status.get().map(|s| view! { <p class="muted" id="bt-status">{s}</p> })}
        </section>
        <div class="live-devices wide">
            {move || (0..devices.with(|l| l.len())).map(|i| view! { <DeviceCard index=i devices clock config=doc /> }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod problem_tests {
    use super::*;

    #[test]
    fn problems_are_told_in_the_pages_language() {
        let p = Problem::KeyRequired;
        assert!(p
            .text(Lang::En)
            .starts_with("Enter this device's Instant Readout key"));
        assert!(p
            .text(Lang::Fr)
            .starts_with("Saisissez la clé Instant Readout"));
        let bad = Problem::BadKey("31 hex digits".into());
        assert_eq!(
            bad.text(Lang::Fr),
            "La clé n'est pas valide : 31 hex digits"
        );
    }
}
