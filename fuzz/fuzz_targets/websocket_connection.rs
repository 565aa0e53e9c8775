//! The WebSocket connection's state machine over any sequence of commands, frames (any bytes)
//! and ends: no panic, a lane never yields events once idle without new input, and every lane
//! can be read to idle.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::drive::websocket::{
    Closed, Connection, End, Lane, LanePoll, Limits,
};
use streaming_assistants_core::responses::ResponseRequest;

fuzz_target!(|data: &[u8]| {
    // Small budgets, so that capacity errors happen too.
    let limits = Limits::default()
        .max_lanes(4)
        .per_lane(16, 4096)
        .per_connection(32, 8192);
    let mut connection = Connection::new(limits);
    let mut lanes = vec![Lane::default_lane()];
    for op in data.split(|b| *b == b'\n') {
        // The seeds' SSE bodies drive real flows: `event:` starts a response on the default
        // lane if it has none, `data:` is a frame.
        if let Some(frame) = op.strip_prefix(b"data: ") {
            let _ = connection.receive_binary(frame);
            continue;
        }
        if op.starts_with(b"event: ") {
            let _ = connection.create(&Lane::default_lane(), &ResponseRequest::new("m"));
            continue;
        }
        let Some((&code, rest)) = op.split_first() else {
            continue;
        };
        let pick = |lanes: &[Lane]| {
            lanes[rest.first().copied().unwrap_or(0) as usize % lanes.len()].clone()
        };
        match code % 8 {
            0 => {
                let name = String::from_utf8_lossy(rest);
                if let Ok(lane) = connection.lane(&name) {
                    lanes.push(lane);
                }
            }
            1 => {
                let _ = connection.create(&pick(&lanes), &ResponseRequest::new("m"));
            }
            2 | 3 => {
                let _ = connection.receive_binary(rest);
            }
            4 => {
                let lane = pick(&lanes);
                for _ in 0..64 {
                    match connection.poll(&lane) {
                        LanePoll::Event(_) => {}
                        LanePoll::Read | LanePoll::Idle => break,
                    }
                }
                let _ = connection.response(&lane);
            }
            5 => connection.ended(End::Closed(Closed::new(
                rest.first().map(|b| u16::from(*b) + 1000),
                "x",
            ))),
            6 => connection.ended(End::Dropped("reset".into())),
            _ => connection.reconnected(),
        }
    }
    // Every lane reads to its end (`Read` only while one is in flight on a live connection).
    for lane in &lanes {
        let mut polls = 0;
        while let LanePoll::Event(_) = connection.poll(lane) {
            polls += 1;
            assert!(polls <= 200, "a lane yields at most what was queued");
        }
        let _ = connection.response(lane);
    }
});
