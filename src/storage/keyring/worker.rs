//! The one thread that talks to the OS keyring: calls run there one at a time, in the order they
//! were made, and each caller waits at most its timeout. A keyring write that answers late must
//! never overwrite newer credentials (issue 8 item 5), and this is how:
//!
//! - **A call that has not started when its caller gives up never runs.** The worker checks for
//!   the cancel right before the platform call. Calls queue only behind one that hangs.
//! - **A write that has started cannot be stopped, so it keeps the locks.** Every write carries
//!   its own handle on Codex's locks (a clone of the caller's [`LockGuard`]), and the worker
//!   drops it only when the platform call returns. The caller may give up, fall back to
//!   auth.json (`auto`) and drop its guard, but the locks stay held. Any other writer, Codex or
//!   codex-creds, in this process or another, waits for them, so it lands after the late
//!   write. A call that never returns keeps the locks until the process exits, which ends it.
//! - **Calls run in order**, so a newer write from this process never overtakes an older one.
//!
//! Waiting for the late write instead (up to some cap) would have held the user up and still
//! left a gap after the cap. What no client can prevent: a keyring daemon carrying out a
//! request it received before the process exited.

use std::cell::{OnceCell, RefCell};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use super::{KeyringApi, KeyringError};
use crate::lock::LockGuard;

/// A platform call that sends its own answer back.
type Call = Box<dyn FnOnce(&dyn KeyringApi) + Send>;

/// A call to run on the worker, and where it stands.
struct Job {
    ticket: Arc<Mutex<Stage>>,
    call: Call,
}

/// Where a call stands, shared by its caller and the worker.
enum Stage {
    /// Waiting its turn, with the write's own handle on the locks (none for a read).
    Queued(Option<LockGuard>),
    Started,
    /// Its caller gave up before it started: it never runs (and its locks handle is gone).
    Cancelled,
}

/// The keyring thread of one process (owned by `Stores`, shared by its keyring stores). The
/// thread starts on the first call: a command that never needs the keyring never starts it.
pub struct Worker {
    /// The platform client, until the thread takes it.
    api: RefCell<Option<Box<dyn KeyringApi>>>,
    jobs: OnceCell<mpsc::Sender<Job>>,
}

impl Worker {
    pub fn new(api: Box<dyn KeyringApi>) -> Self {
        Worker {
            api: RefCell::new(Some(api)),
            jobs: OnceCell::new(),
        }
    }

    /// Runs a read, waiting at most `timeout`. A read that answers late changes nothing.
    pub fn read<T: Send + 'static>(
        &self,
        timeout: Duration,
        call: impl FnOnce(&dyn KeyringApi) -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, KeyringError> {
        self.run(timeout, None, call)
    }

    /// Runs a write (set or delete) under the caller's locks, waiting at most `timeout`. Past
    /// that it is cancelled if it has not started, or else keeps the locks until it finishes.
    pub fn write<T: Send + 'static>(
        &self,
        timeout: Duration,
        lock: &LockGuard,
        call: impl FnOnce(&dyn KeyringApi) -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, KeyringError> {
        let held = lock.try_clone().map_err(|err| {
            KeyringError::Other(format!("cannot share the credential locks: {err}"))
        })?;
        self.run(timeout, Some(held), call)
    }

    fn run<T: Send + 'static>(
        &self,
        timeout: Duration,
        held: Option<LockGuard>,
        call: impl FnOnce(&dyn KeyringApi) -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, KeyringError> {
        let is_write = held.is_some();
        let ticket = Arc::new(Mutex::new(Stage::Queued(held)));
        let (answer, answered) = mpsc::channel();
        let job = Job {
            ticket: Arc::clone(&ticket),
            call: Box::new(move |api| {
                let _ = answer.send(call(api));
            }),
        };
        self.jobs()?.send(job).map_err(|_| stopped())?;
        match answered.recv_timeout(timeout) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let mut stage = ticket.lock().unwrap_or_else(PoisonError::into_inner);
                if matches!(*stage, Stage::Queued(_)) {
                    // Drops the write's locks handle now, not when the worker gets to it.
                    *stage = Stage::Cancelled;
                    return Err(KeyringError::TimedOut(timeout));
                }
                match answered.try_recv() {
                    // It answered just now.
                    Ok(result) => result,
                    Err(_) if is_write => Err(KeyringError::WriteStillRunning(timeout)),
                    Err(_) => Err(KeyringError::TimedOut(timeout)),
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(stopped()),
        }
    }

    /// The queue of the worker thread, started on first use.
    fn jobs(&self) -> Result<&mpsc::Sender<Job>, KeyringError> {
        if let Some(jobs) = self.jobs.get() {
            return Ok(jobs);
        }
        let api = self.api.borrow_mut().take().ok_or_else(stopped)?;
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("keyring".to_owned())
            .spawn(move || serve(api.as_ref(), queue))
            .map_err(|err| KeyringError::Other(format!("cannot start a thread: {err}")))?;
        Ok(self.jobs.get_or_init(|| jobs))
    }
}

/// The worker thread: runs the calls in order until the `Worker` is dropped.
fn serve(api: &dyn KeyringApi, queue: mpsc::Receiver<Job>) {
    for job in queue {
        let held = {
            let mut stage = job.ticket.lock().unwrap_or_else(PoisonError::into_inner);
            match std::mem::replace(&mut *stage, Stage::Started) {
                Stage::Queued(held) => held,
                Stage::Started | Stage::Cancelled => {
                    *stage = Stage::Cancelled;
                    continue;
                }
            }
        };
        (job.call)(api);
        // Only now that the platform call has returned may the write's locks go.
        drop(held);
    }
}

fn stopped() -> KeyringError {
    KeyringError::Other("the keyring worker thread stopped".to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::fake::{FakeKeyring, Held, Op};
    use super::*;

    const SHORT: Duration = Duration::from_millis(20);
    const LONG: Duration = Duration::from_secs(60);
    /// Tries at leaving a write running (each may lose the race with a busy scheduler).
    const TRIES: usize = 50;

    fn set(value: &'static str) -> impl FnOnce(&dyn KeyringApi) -> Result<(), KeyringError> {
        move |api| api.set("s", "a", value)
    }

    /// Whether another writer could take the commit lock right now.
    fn commit_lock_is_free(dir: &std::path::Path) -> bool {
        crate::lock::exclusive(&dir.join("auth.json.lock"), Duration::ZERO).is_ok()
    }

    /// Leaves a write of `value` inside the (held) platform call after its caller gave up. On a
    /// busy machine the caller may give up before the worker even started it: that write is
    /// cancelled (`TimedOut`), and another try is made.
    fn a_write_left_running(
        worker: &Worker,
        fake: &FakeKeyring,
        lock: &LockGuard,
        value: &'static str,
    ) -> Held {
        for _ in 0..TRIES {
            let held = fake.hold_next(Op::Set);
            match worker.write(SHORT, lock, set(value)) {
                Err(KeyringError::WriteStillRunning(waited)) => {
                    assert_eq!(waited, SHORT);
                    held.wait_entered();
                    return held;
                }
                Err(KeyringError::TimedOut(_)) => {}
                other => panic!("the held write answered: {other:?}"),
            }
        }
        panic!("no write was ever reported still running in {TRIES} tries");
    }

    #[test]
    fn a_quick_call_answers_and_a_hanging_one_times_out() {
        let fake = FakeKeyring::default();
        let worker = Worker::new(Box::new(fake.clone()));
        assert_eq!(worker.read(LONG, |api| api.get("s", "a")).unwrap(), None);
        let held = fake.hold_next(Op::Get);
        let err = worker.read(SHORT, |api| api.get("s", "a")).unwrap_err();
        assert_eq!(err, KeyringError::TimedOut(SHORT));
        assert!(err.to_string().contains("did not answer"), "{err}");
        held.release();
    }

    #[test]
    fn a_write_that_has_not_started_when_its_caller_gives_up_never_runs() {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeKeyring::default();
        let worker = Worker::new(Box::new(fake.clone()));
        let lock = crate::lock::acquire_for_test(dir.path());
        // One write hangs in the platform call; the next one queues behind it.
        let held = a_write_left_running(&worker, &fake, &lock, "first");
        let err = worker.write(SHORT, &lock, set("stale")).unwrap_err();
        assert_eq!(err, KeyringError::TimedOut(SHORT), "cancelled, not running");
        drop(lock);
        held.release();
        // The worker has gone past the cancelled write once the next call answers.
        worker.read(LONG, |api| api.get("s", "a")).unwrap();
        assert_eq!(
            fake.state().sets,
            ["first"],
            "the cancelled write never ran"
        );
        assert!(commit_lock_is_free(dir.path()), "no write keeps the locks");
    }

    /// Issue 8 item 5: a keyring write times out inside the platform call, the command moves on
    /// (auto falls back to auth.json) and drops its locks; then a newer save comes. The late
    /// write must land before it, never after.
    #[test]
    fn a_late_write_never_overwrites_a_newer_save() {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeKeyring::default();
        let worker = Worker::new(Box::new(fake.clone()));
        let lock = crate::lock::acquire_for_test(dir.path());
        let held = a_write_left_running(&worker, &fake, &lock, "older");
        drop(lock);
        assert!(
            !commit_lock_is_free(dir.path()),
            "the write still in the keyring call keeps Codex's locks"
        );

        // A newer save (another process, or this one) first waits for the locks...
        let newer = std::thread::spawn({
            let fake = fake.clone();
            let dir = dir.path().to_owned();
            move || {
                let lock = crate::lock::acquire_for_test(&dir);
                let worker = Worker::new(Box::new(fake));
                worker.write(LONG, &lock, set("newer"))
            }
        });
        // ...which the late write gives back only once it has landed.
        held.release();
        newer.join().unwrap().unwrap();
        assert_eq!(fake.state().sets, ["older", "newer"]);
        let items: Vec<String> = fake.state().items.values().cloned().collect();
        assert_eq!(items, ["newer"], "the newer save is what the keyring holds");
    }
}
