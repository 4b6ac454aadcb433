//! Voice and video messages in the composer (K4): record with the browser's microphone (and
//! camera), then preview at any speed, download, record again or delete, and attach — the
//! recording then uploads and goes with the message like any other file.

use super::attachments::start_uploads;
use crate::model::attachments::PendingFiles;
use crate::model::recording::{self, Medium, SPEEDS, Step};
use crate::model::time::local_offset;
use crate::tr;
use crate::ui::icons::Icon;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::WorkspaceId;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A recording in progress: the recorder, its stream (stopped at the end) and the chunks
/// it delivered, kept with the handlers the browser calls.
struct Live {
    recorder: web_sys::MediaRecorder,
    stream: web_sys::MediaStream,
    _on_data: Closure<dyn FnMut(web_sys::BlobEvent)>,
    _on_stop: Closure<dyn FnMut()>,
}

/// A finished recording, not yet attached.
struct Take {
    blob: web_sys::Blob,
    mime: &'static str,
    name: String,
}

fn stop_tracks(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[component]
pub fn Recorder(
    workspace: WorkspaceId,
    files: RwSignal<PendingFiles>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let step = RwSignal::new(Step::Idle);
    let live = StoredValue::new_local(None::<Live>);
    let take = StoredValue::new_local(None::<Take>);
    let clock = RwSignal::new(now_ms());
    let ticker = StoredValue::new_local(None::<leptos::leptos_dom::helpers::IntervalHandle>);
    let speed = RwSignal::new(1.0_f64);
    let audio = NodeRef::<html::Audio>::new();
    let video = NodeRef::<html::Video>::new();

    let forget_take = move || {
        if let Some(old) = take.try_update_value(Option::take).flatten() {
            drop(old.blob);
        }
        if let Step::Recorded { url, .. } = step.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    };
    let stop_ticker = move || {
        if let Some(handle) = ticker.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    let start = move |medium: Medium| {
        forget_take();
        error.set(None);
        let Some((mime, extension)) =
            recording::container(medium, web_sys::MediaRecorder::is_type_supported)
        else {
            step.set(Step::Failed(tr!("composer-record-unsupported")));
            return;
        };
        step.set(Step::Asking(medium));
        spawn_local(async move {
            let devices = web_sys::window().and_then(|w| w.navigator().media_devices().ok());
            let Some(devices) = devices else {
                step.set(Step::Failed(recording::refusal("NotFoundError", medium)));
                return;
            };
            let constraints = web_sys::MediaStreamConstraints::new();
            constraints.set_audio(&wasm_bindgen::JsValue::TRUE);
            constraints.set_video(&wasm_bindgen::JsValue::from_bool(medium == Medium::Video));
            let asked = match devices.get_user_media_with_constraints(&constraints) {
                Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await,
                Err(e) => Err(e),
            };
            let stream = match asked.and_then(|s| s.dyn_into::<web_sys::MediaStream>()) {
                Ok(stream) => stream,
                Err(e) => {
                    let name = e
                        .dyn_ref::<web_sys::DomException>()
                        .map(|e| e.name())
                        .unwrap_or_default();
                    step.set(Step::Failed(recording::refusal(&name, medium)));
                    return;
                }
            };
            let options = web_sys::MediaRecorderOptions::new();
            options.set_mime_type(mime);
            let recorder =
                match web_sys::MediaRecorder::new_with_media_stream_and_media_recorder_options(
                    &stream, &options,
                ) {
                    Ok(recorder) => recorder,
                    Err(_) => {
                        stop_tracks(&stream);
                        step.set(Step::Failed(recording::refusal("", medium)));
                        return;
                    }
                };
            let chunks = js_sys::Array::new();
            let on_data = {
                let chunks = chunks.clone();
                Closure::<dyn FnMut(web_sys::BlobEvent)>::new(move |event: web_sys::BlobEvent| {
                    if let Some(data) = event.data().filter(|d| d.size() > 0.0) {
                        chunks.push(&data);
                    }
                })
            };
            let on_stop = Closure::<dyn FnMut()>::new(move || {
                stop_ticker();
                let Some(live) = live.try_update_value(Option::take).flatten() else {
                    return;
                };
                stop_tracks(&live.stream);
                let started = match step.get_untracked() {
                    Step::Recording { started_ms, .. } => started_ms,
                    _ => now_ms(),
                };
                let bag = web_sys::BlobPropertyBag::new();
                bag.set_type(mime);
                let blob = web_sys::Blob::new_with_blob_sequence_and_options(&chunks, &bag);
                let url = blob
                    .as_ref()
                    .ok()
                    .and_then(|b| web_sys::Url::create_object_url_with_blob(b).ok());
                match (blob, url) {
                    (Ok(blob), Some(url)) if blob.size() > 0.0 => {
                        let name = recording::file_name(
                            medium,
                            chrono::Utc::now(),
                            local_offset(),
                            extension,
                        );
                        take.set_value(Some(Take { blob, mime, name }));
                        let seconds = ((now_ms() - started) / 1000.0).round().max(0.0) as u32;
                        speed.set(1.0);
                        step.set(Step::Recorded {
                            medium,
                            url,
                            seconds,
                        });
                    }
                    _ => step.set(Step::Failed(recording::refusal("", medium))),
                }
            });
            recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
            recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
            if recorder.start().is_err() {
                stop_tracks(&stream);
                step.set(Step::Failed(recording::refusal("", medium)));
                return;
            }
            let started_ms = now_ms();
            clock.set(started_ms);
            ticker.set_value(
                leptos::leptos_dom::helpers::set_interval_with_handle(
                    move || clock.set(now_ms()),
                    std::time::Duration::from_millis(250),
                )
                .ok(),
            );
            live.set_value(Some(Live {
                recorder,
                stream,
                _on_data: on_data,
                _on_stop: on_stop,
            }));
            step.set(Step::Recording { medium, started_ms });
        });
    };
    let stop = move || {
        live.with_value(|live| {
            if let Some(live) = live {
                let _ = live.recorder.stop();
            }
        });
    };
    let discard = move || {
        forget_take();
        step.set(Step::Idle);
    };
    let attach = move || {
        let Some(Take { blob, mime, name }) = take.try_update_value(Option::take).flatten() else {
            return;
        };
        let parts = js_sys::Array::of1(&blob);
        let bag = web_sys::FilePropertyBag::new();
        bag.set_type(mime);
        match web_sys::File::new_with_blob_sequence_and_options(&parts, &name, &bag) {
            Ok(file) => {
                start_uploads(workspace, files, error, vec![file]);
                discard();
            }
            Err(_) => error.set(Some(tr!("composer-record-attach-failed"))),
        }
    };
    let set_speed = move |rate: f64| {
        speed.set(rate);
        if let Some(el) = audio.get_untracked() {
            el.set_playback_rate(rate);
        }
        if let Some(el) = video.get_untracked() {
            el.set_playback_rate(rate);
        }
    };
    // Leaving the conversation ends a recording and lets the preview go.
    on_cleanup(move || {
        stop_ticker();
        if let Some(live) = live.try_update_value(Option::take).flatten() {
            let _ = live.recorder.stop();
            stop_tracks(&live.stream);
        }
        forget_take();
    });

    let panel = move || {
        match step.get() {
        Step::Idle => None,
        Step::Asking(medium) => Some(
            view! { <div class="recorder" role="status">{recording::asking_label(medium)}</div> }
                .into_any(),
        ),
        Step::Failed(reason) => Some(
            view! {
                <div class="recorder failed" role="alert">
                    <span>{reason}</span>
                    <button type="button" class="icon-button small" aria-label=tr!("composer-record-dismiss") on:click=move |_| step.set(Step::Idle)>
                        <Icon name="x"/>
                    </button>
                </div>
            }
            .into_any(),
        ),
        Step::Recording { medium, started_ms } => Some(
            view! {
                <div class="recorder recording" role="status" aria-label=recording::recording_label(medium)>
                    <span class="recording-dot" aria-hidden="true"></span>
                    <span class="recording-time">
                        {move || recording::duration_label(((clock.get() - started_ms) / 1000.0).max(0.0) as u32)}
                    </span>
                    <span class="muted small">{recording::recording_label(medium)}</span>
                    <button type="button" class="button primary small-button" on:click=move |_| stop()>{tr!("composer-record-stop")}</button>
                </div>
            }
            .into_any(),
        ),
        Step::Recorded { medium, url, seconds } => {
            let name = take.with_value(|t| t.as_ref().map(|t| t.name.clone())).unwrap_or_default();
            let player = match medium {
                Medium::Voice => view! { <audio controls preload="metadata" src=url.clone() node_ref=audio></audio> }.into_any(),
                Medium::Video => view! { <video controls playsinline preload="metadata" src=url.clone() node_ref=video></video> }.into_any(),
            };
            Some(
                view! {
                    <div class="recorder recorded" role="group" aria-label=recording::recorded_label(medium)>
                        {player}
                        <div class="recorder-actions">
                            <span class="muted small">{recording::duration_label(seconds)}</span>
                            <label class="speed">
                                <span class="visually-hidden">{tr!("composer-playback-speed")}</span>
                                <select aria-label=tr!("composer-playback-speed") on:change=move |ev| {
                                    if let Ok(rate) = event_target_value(&ev).parse::<f64>() {
                                        set_speed(rate);
                                    }
                                }>
                                    {SPEEDS.iter().map(|(rate, label)| view! {
                                        <option value=rate.to_string() selected=move || (speed.get() - rate).abs() < f64::EPSILON>{*label}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <a class="button subtle" href=url.clone() download=name>{tr!("composer-record-download")}</a>
                            <button type="button" class="button subtle" on:click=move |_| start(medium)>{tr!("composer-record-again")}</button>
                            <button type="button" class="button subtle" on:click=move |_| discard()>{tr!("composer-record-delete")}</button>
                            <button type="button" class="button primary" on:click=move |_| attach()>{tr!("composer-record-attach")}</button>
                        </div>
                    </div>
                }
                .into_any(),
            )
        }
    }
    };
    let busy = move || matches!(step.get(), Step::Asking(_) | Step::Recording { .. });
    view! {
        {panel}
        <button type="button" class="icon-button" aria-label=tr!("composer-record-voice") title=tr!("composer-record-voice") disabled=busy on:click=move |_| start(Medium::Voice)>
            <Icon name="mic"/>
        </button>
        <button type="button" class="icon-button" aria-label=tr!("composer-record-video") title=tr!("composer-record-video") disabled=busy on:click=move |_| start(Medium::Video)>
            <Icon name="video"/>
        </button>
    }
}
