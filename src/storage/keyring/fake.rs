//! An in-memory keyring for the unit tests of the stores: injectable failures, and a gate that
//! holds a call inside the "platform" until the test lets it go (a keyring that answers late,
//! without any timing in the test).

use super::*;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The three platform calls, to say which one to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Get,
    Set,
    Delete,
}

#[derive(Default)]
pub struct FakeState {
    pub items: HashMap<(String, String), String>,
    pub fail_get: Option<KeyringError>,
    pub fail_set: Option<KeyringError>,
    pub fail_delete: Option<KeyringError>,
    /// Stores this instead of the value given to `set` (a keyring that corrupts data).
    pub corrupt_set: Option<String>,
    /// Refuses values longer than this many bytes as UTF-16, as Windows Credential Manager
    /// does (2560) through keyring 3.6.
    pub blob_limit: Option<u32>,
    pub calls: usize,
    /// Every value `set` stored, in the order the calls landed.
    pub sets: Vec<String>,
    hold: Option<(Op, Gate)>,
}

/// Shared by every clone, across threads (keyring calls run on the worker thread).
#[derive(Clone, Default)]
pub struct FakeKeyring(Arc<Mutex<FakeState>>);

/// The test's end of a held call.
pub struct Held {
    entered: Receiver<()>,
    _release: Sender<()>,
}

impl Held {
    /// Waits until the held call is inside the platform call.
    pub fn wait_entered(&self) {
        self.entered.recv().expect("the held call was made");
    }

    /// Lets the held call finish (dropping the handle does the same).
    pub fn release(self) {}
}

/// The fake's end of a held call: it says it entered, then waits for the release.
struct Gate {
    entered: Sender<()>,
    release: Receiver<()>,
}

impl FakeKeyring {
    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Holds the next `op` inside the platform call until the returned handle is released.
    pub fn hold_next(&self, op: Op) -> Held {
        let (entered_tx, entered) = channel();
        let (release_tx, release) = channel();
        self.state().hold = Some((
            op,
            Gate {
                entered: entered_tx,
                release,
            },
        ));
        Held {
            entered,
            _release: release_tx,
        }
    }

    /// Counts the call, waits at its gate if it is held, then gives the state to work on.
    fn enter(&self, op: Op) -> MutexGuard<'_, FakeState> {
        let gate = {
            let mut state = self.state();
            state.calls += 1;
            match state.hold.take() {
                Some((held, gate)) if held == op => Some(gate),
                other => {
                    state.hold = other;
                    None
                }
            }
        };
        if let Some(gate) = gate {
            let _ = gate.entered.send(());
            // Returns on release, or when the test dropped its handle.
            let _ = gate.release.recv();
        }
        self.state()
    }
}

impl KeyringApi for FakeKeyring {
    fn get(&self, service: &str, account: &str) -> Result<Option<String>, KeyringError> {
        let state = self.enter(Op::Get);
        if let Some(err) = state.fail_get.clone() {
            return Err(err);
        }
        Ok(state
            .items
            .get(&(service.to_owned(), account.to_owned()))
            .cloned())
    }
    fn set(&self, service: &str, account: &str, value: &str) -> Result<(), KeyringError> {
        let mut state = self.enter(Op::Set);
        if let Some(err) = state.fail_set.clone() {
            return Err(err);
        }
        if let Some(limit) = state.blob_limit
            && value.encode_utf16().count() * 2 > limit as usize
        {
            return Err(KeyringError::TooLong { limit });
        }
        let value = state
            .corrupt_set
            .clone()
            .unwrap_or_else(|| value.to_owned());
        state.sets.push(value.clone());
        state
            .items
            .insert((service.to_owned(), account.to_owned()), value);
        Ok(())
    }
    fn delete(&self, service: &str, account: &str) -> Result<bool, KeyringError> {
        let mut state = self.enter(Op::Delete);
        if let Some(err) = state.fail_delete.clone() {
            return Err(err);
        }
        Ok(state
            .items
            .remove(&(service.to_owned(), account.to_owned()))
            .is_some())
    }
}
