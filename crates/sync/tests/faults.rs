//! The shared fault table (`streaming_assistants_testserver::faults`), played by the sync
//! client against raw servers.

// Each row's own peak heap, measured from zero at its start (dhat's testing mode writes no file).
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

use std::time::Duration;

use streaming_assistants_sync::{Client, Config, Error, Timeouts};
use streaming_assistants_testserver::faults::{self, Call, Fault, Seen};
use streaming_assistants_testserver::scenarios::Failure;

fn play(fault: &Fault, base_url: String) -> Seen {
    let mut timeouts = Timeouts::default();
    if let Some(ms) = fault.idle_timeout_ms {
        timeouts = timeouts.idle(Duration::from_millis(ms));
    }
    let client = Client::with_timeouts(Config::new(faults::KEY).base_url(base_url), timeouts)
        .unwrap()
        .retries(fault.retries);
    let mut seen = Seen::default();
    let fail = |seen: &mut Seen, err: Error| seen.fail(Failure::of(&err), &err);
    match fault.call {
        Call::Read => {
            if let Err(err) = client.threads().runs().retrieve("thread_1", "run_1") {
                fail(&mut seen, err);
            }
        }
        Call::CreateRun => {
            if let Err(err) = client.threads().runs().create("thread_1", "asst_1") {
                fail(&mut seen, err);
            }
        }
        Call::ReadOnPooled | Call::CreateRunOnPooled => {
            // The first read leaves its connection in the pool; the server closes it.
            if let Err(err) = client.threads().runs().retrieve("thread_1", "run_1") {
                fail(&mut seen, err);
            }
            let again = if fault.call == Call::ReadOnPooled {
                client.threads().runs().retrieve("thread_1", "run_1")
            } else {
                client.threads().runs().create("thread_1", "asst_1")
            };
            if let Err(err) = again {
                fail(&mut seen, err);
            }
        }
        Call::Stream => match client.threads().runs().create_stream("thread_1", "asst_1") {
            Ok(stream) => {
                for item in stream {
                    match item {
                        Ok(_) => seen.events += 1,
                        Err(err) => fail(&mut seen, err),
                    }
                }
            }
            Err(err) => fail(&mut seen, err),
        },
    }
    seen
}

#[test]
fn every_fault_through_the_sync_client() {
    for fault in faults::all() {
        let servers = fault.start();
        let profiler = dhat::Profiler::builder().testing().build();
        let start = std::time::Instant::now();
        let mut seen = play(&fault, servers.base_url());
        seen.elapsed = start.elapsed();
        seen.peak_bytes = dhat::HeapStats::get().max_bytes as u64;
        drop(profiler);
        eprintln!(
            "{:>5} ms {:>6} KiB  {}",
            seen.elapsed.as_millis(),
            seen.peak_bytes >> 10,
            fault.name
        );
        fault.check(&seen, &servers);
    }
}
