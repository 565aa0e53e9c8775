//! The peer's decode: `async-openai` 0.40's `AssistantStreamEvent` from an
//! `eventsource-stream` event. Its own `TryFrom<Event>` is compiled only with its HTTP client,
//! so this writes out the same one `serde_json::from_str` per event name into its types.

use async_openai::types::assistants::AssistantStreamEvent;

/// Decodes one event as `async-openai` 0.40's `Client::threads().runs().create_stream` does.
pub fn decode(event: &eventsource_stream::Event) -> serde_json::Result<AssistantStreamEvent> {
    use async_openai::types::assistants::{
        MessageDeltaObject, MessageObject, RunObject, RunStepDeltaObject, RunStepObject,
        ThreadObject,
    };
    use serde_json::from_str;
    use AssistantStreamEvent as E;
    let data = event.data.as_str();
    Ok(match event.event.as_str() {
        "thread.created" => E::ThreadCreated(from_str::<ThreadObject>(data)?),
        "thread.run.created" => E::ThreadRunCreated(from_str::<RunObject>(data)?),
        "thread.run.queued" => E::ThreadRunQueued(from_str::<RunObject>(data)?),
        "thread.run.in_progress" => E::ThreadRunInProgress(from_str::<RunObject>(data)?),
        "thread.run.completed" => E::ThreadRunCompleted(from_str::<RunObject>(data)?),
        "thread.run.step.created" => E::ThreadRunStepCreated(from_str::<RunStepObject>(data)?),
        "thread.run.step.delta" => E::ThreadRunStepDelta(from_str::<RunStepDeltaObject>(data)?),
        "thread.message.created" => E::ThreadMessageCreated(from_str::<MessageObject>(data)?),
        "thread.message.delta" => E::ThreadMessageDelta(from_str::<MessageDeltaObject>(data)?),
        "thread.message.completed" => E::ThreadMessageCompleted(from_str::<MessageObject>(data)?),
        _ => E::Done(data.to_owned()),
    })
}
