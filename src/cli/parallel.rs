//! Work over many files on every core, with results kept in input order.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use crate::model::LoadFailure;
use crate::walk::FoundFile;

use super::output::{Exit, print_load_failure, unwritten, write_stdout};

/// Results computed but not yet handed on, at most: a slow file holds the
/// others back, so memory stays bounded whatever the number of files.
const WINDOW: usize = 512;

/// Below this many items, starting threads costs more than it saves.
const MIN_PARALLEL: usize = 32;

/// Items a worker takes at a time: handing results over one by one would
/// wake the consumer (a system call) for every file.
const CLAIM: usize = 16;

/// Runs `work` on every item on all cores and hands each result to `consume`
/// in the order of `items`, as soon as the results before it are in. Workers
/// take the next item as they finish one, so no core waits on a batch, and
/// `consume` runs on the calling thread while they go on. When `consume`
/// breaks, the workers stop and no further result is handed over.
pub fn for_each_ordered<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(R) -> ControlFlow<()>,
) {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 || items.len() < MIN_PARALLEL {
        for item in items {
            if consume(work(item)).is_break() {
                return;
            }
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let window = Window { consumed: Mutex::new(0), advanced: Condvar::new(), abandoned: AtomicBool::new(false) };
    let (sender, receiver) = mpsc::channel::<(usize, Vec<R>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, window, work) = (&next, &window, &work);
            scope.spawn(move || {
                let _abandon_on_panic = AbandonOnPanic(window);
                loop {
                    let start = next.fetch_add(CLAIM, Ordering::Relaxed);
                    if start >= items.len() || window.abandoned.load(Ordering::Relaxed) || !window.wait_for(start) {
                        break;
                    }
                    let claimed = &items[start..(start + CLAIM).min(items.len())];
                    if sender.send((start, claimed.iter().map(work).collect())).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // If `consume` panics, workers waiting for the window must not wait forever.
        let _abandon_on_panic = AbandonOnPanic(&window);
        let mut pending = BTreeMap::new();
        let mut expected = 0;
        'receive: for (start, results) in receiver {
            pending.insert(start, results);
            let before = expected;
            while let Some(results) = pending.remove(&expected) {
                expected += results.len();
                for result in results {
                    if consume(result).is_break() {
                        window.abandon();
                        break 'receive;
                    }
                }
            }
            if expected != before {
                window.advance(expected);
            }
        }
    });
}

/// Bytes of output gathered before a write.
const OUTPUT_BLOCK: usize = 64 * 1024;

/// How a multi-file command lays out what each file gave.
pub enum Layout {
    /// Tables, a blank line between them.
    Tables,
    /// One JSON value per file, in an array.
    JsonArray,
    /// One JSON value alone: the command was given one file.
    JsonSingle,
}

/// Loads and renders every file on all cores with `render`, writing each
/// file's text in file order as soon as the ones before it are done, and
/// each file that did not load to stderr in its place. Memory stays bounded
/// however many files there are. Exit 2 if a file did not load.
pub fn render_files(
    files: &[FoundFile],
    layout: &Layout,
    render: impl Fn(&FoundFile) -> Result<String, LoadFailure> + Sync,
) -> Exit {
    let mut exit = Exit::Ok;
    let mut out = String::new();
    let mut written = 0usize;
    let mut result = Ok(());
    for_each_ordered(
        files,
        |file| render(file),
        |rendered| {
            match rendered {
                Ok(text) => {
                    match layout {
                        Layout::Tables if written > 0 => out.push('\n'),
                        Layout::JsonArray => out.push_str(if written > 0 { ",\n" } else { "[\n" }),
                        _ => {}
                    }
                    match layout {
                        Layout::JsonArray => {
                            for line in text.lines() {
                                out.push_str("  ");
                                out.push_str(line);
                                out.push('\n');
                            }
                            out.pop();
                        }
                        Layout::JsonSingle => {
                            out.push_str(&text);
                            out.push('\n');
                        }
                        Layout::Tables => out.push_str(&text),
                    }
                    written += 1;
                }
                Err(failure) => {
                    // Errors go to stderr after the output before them.
                    result = write_stdout(&out);
                    out.clear();
                    print_load_failure(&failure);
                    exit = Exit::Error;
                }
            }
            if out.len() >= OUTPUT_BLOCK {
                // Written and cleared, never replaced: see `policy check`'s block.
                result = write_stdout(&out);
                out.clear();
            }
            if result.is_err() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        },
    );
    match layout {
        Layout::JsonArray if written > 0 => out.push_str("\n]\n"),
        Layout::JsonArray | Layout::JsonSingle if written == 0 => out.push_str("[]\n"),
        _ => {}
    }
    if let Err(error) = result.and_then(|()| write_stdout(&out)) {
        return unwritten(&error);
    }
    exit
}

/// How far the consumer has got, for workers that ran ahead.
struct Window {
    consumed: Mutex<usize>,
    advanced: Condvar,
    /// Set when a worker panics, so the others stop waiting for its item.
    abandoned: AtomicBool,
}

impl Window {
    /// Waits until `index` is within the window; false if the run was abandoned.
    fn wait_for(&self, index: usize) -> bool {
        let mut consumed = self.consumed.lock().unwrap_or_else(|e| e.into_inner());
        while index >= *consumed + WINDOW {
            if self.abandoned.load(Ordering::Relaxed) {
                return false;
            }
            consumed = self.advanced.wait(consumed).unwrap_or_else(|e| e.into_inner());
        }
        true
    }

    /// Stops the run: waiting workers wake and leave, the others stop at their next claim.
    fn abandon(&self) {
        self.abandoned.store(true, Ordering::Relaxed);
        let _guard = self.consumed.lock().unwrap_or_else(|e| e.into_inner());
        self.advanced.notify_all();
    }

    fn advance(&self, consumed: usize) {
        *self.consumed.lock().unwrap_or_else(|e| e.into_inner()) = consumed;
        self.advanced.notify_all();
    }
}

struct AbandonOnPanic<'a>(&'a Window);

impl Drop for AbandonOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.abandon();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_the_timing() {
        let items: Vec<u64> = (0..3_000).collect();
        let mut seen = Vec::new();
        for_each_ordered(
            &items,
            |&i| {
                // Uneven work, so workers finish out of order.
                if i % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                i * 2
            },
            |r| {
                seen.push(r);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn many_items_run_on_every_core_and_not_on_the_calling_thread() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let items: Vec<u64> = (0..400).collect();
        let mut threads = std::collections::HashSet::new();
        for_each_ordered(
            &items,
            |_| {
                // Long enough that no worker can take every claim alone.
                std::thread::sleep(std::time::Duration::from_micros(200));
                std::thread::current().id()
            },
            |id| {
                threads.insert(id);
                ControlFlow::Continue(())
            },
        );
        if cores > 1 {
            assert!(threads.len() >= 2, "ran on {} thread(s) of {cores} cores", threads.len());
            assert!(!threads.contains(&std::thread::current().id()));
        }
    }

    #[test]
    fn few_items_run_in_order_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let mut seen = Vec::new();
        for_each_ordered(
            &[1, 2, 3],
            |&i| (i, std::thread::current().id()),
            |r| {
                seen.push(r);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(seen, [(1, caller), (2, caller), (3, caller)]);
    }

    #[test]
    fn a_consumer_that_breaks_stops_the_workers() {
        let items: Vec<usize> = (0..100_000).collect();
        let worked = AtomicUsize::new(0);
        let mut seen = Vec::new();
        for_each_ordered(
            &items,
            |&i| {
                worked.fetch_add(1, Ordering::Relaxed);
                i
            },
            |i| {
                seen.push(i);
                if i == 99 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            },
        );
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
        // Workers run ahead by the window at most, not through the whole list.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert!(worked.load(Ordering::Relaxed) <= 100 + WINDOW + (workers + 1) * CLAIM, "{worked:?}");
    }

    #[test]
    fn a_panicking_consumer_ends_the_run_with_its_panic() {
        let items: Vec<usize> = (0..5_000).collect();
        let outcome = std::panic::catch_unwind(|| {
            for_each_ordered(
                &items,
                |&i| i,
                |i| {
                    assert!(i != 10, "boom");
                    ControlFlow::Continue(())
                },
            );
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn a_panicking_worker_ends_the_run_with_its_panic() {
        let items: Vec<usize> = (0..5_000).collect();
        let outcome = std::panic::catch_unwind(|| {
            for_each_ordered(&items, |&i| if i == 10 { panic!("boom") } else { i }, |_| ControlFlow::Continue(()));
        });
        assert!(outcome.is_err());
    }
}
