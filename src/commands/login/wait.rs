//! How the interactive logins (browser and device code) wait: until the step finishes, Ctrl-C
//! arrives, or the `--timeout` deadline passes, and the error that says which one ended it.
//!
//! Login-only (the messages name `--timeout`), so it lives beside the flows rather than as an
//! adapter. No deadline arithmetic here can panic: a deadline past what `Instant` can hold is
//! simply never reached (issue #8 item 7).

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::ctx::Ctx;
use crate::error::Error;
use crate::http::Http;

/// Why a wait ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Interrupted,
    TimedOut,
}

/// When the login gives up; `None` when the timeout lies beyond what the clock can represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// `timeout` from now. `checked_add`: `Instant + Duration` panics on overflow, and a
    /// duration from outside (a flag, a server) must never abort the process.
    pub fn after(timeout: Duration) -> Self {
        Deadline(Instant::now().checked_add(timeout))
    }

    /// Resolves when the deadline passes; never, for an unreachable one.
    async fn passed(self) {
        match self.0 {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    }
}

/// Ctrl-C, listened to from creation on: made before the first prompt, so that an early
/// Ctrl-C is neither lost nor fatal before the cleanup.
pub struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
    #[cfg(windows)]
    signal: tokio::signal::windows::CtrlC,
}

impl Interrupt {
    pub fn listen(http: &Http) -> Result<Self, Error> {
        http.block_on(async {
            #[cfg(unix)]
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
            #[cfg(windows)]
            let signal = tokio::signal::windows::ctrl_c();
            signal.map(|signal| Interrupt { signal })
        })
        .map_err(Error::Signal)
    }

    async fn recv(&mut self) {
        if self.signal.recv().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

/// Runs `future` until it finishes, Ctrl-C arrives, or `deadline` passes.
pub async fn interruptible<F: Future>(
    future: F,
    deadline: Deadline,
    interrupt: &mut Interrupt,
) -> Result<F::Output, Stop> {
    race(future, deadline, interrupt.recv()).await
}

/// [`interruptible`] with the interrupt as any future, so that it is testable without signals.
async fn race<F: Future>(
    future: F,
    deadline: Deadline,
    interrupted: impl Future<Output = ()>,
) -> Result<F::Output, Stop> {
    tokio::select! {
        output = future => Ok(output),
        _ = interrupted => Err(Stop::Interrupted),
        _ = deadline.passed() => Err(Stop::TimedOut),
    }
}

/// The error for a login that stopped early; nothing was written.
pub fn stopped(ctx: &Ctx, stop: Stop, timeout: Duration, what: &str) -> Error {
    match stop {
        Stop::Interrupted => {
            ctx.out
                .info(&format!("Interrupted the {what}; nothing was changed."));
            Error::Interrupted
        }
        Stop::TimedOut => Error::Cancelled(format!(
            "the {what} timed out after {}; nothing was changed. Run it again, or give it more \
             time with `--timeout`",
            crate::duration::format(timeout)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn a_deadline_beyond_the_clock_never_passes_and_does_not_panic() {
        // `Instant::now() + Duration::MAX` panics ("overflow when adding duration to instant").
        let never = Deadline::after(Duration::MAX);
        assert_eq!(never, Deadline(None));
        let finished = block_on(race(async { 7 }, never, std::future::pending()));
        assert_eq!(finished, Ok(7));
        // The longest duration the parser accepts still makes a real deadline.
        assert!(Deadline::after(crate::duration::MAX).0.is_some());
    }

    #[test]
    fn a_passed_deadline_stops_a_wait_that_would_never_end() {
        let stopped = block_on(race(
            std::future::pending::<()>(),
            Deadline::after(Duration::ZERO),
            std::future::pending(),
        ));
        assert_eq!(stopped, Err(Stop::TimedOut));
    }

    #[test]
    fn an_interrupt_stops_the_wait() {
        let stopped = block_on(race(
            std::future::pending::<()>(),
            Deadline::after(Duration::MAX),
            async {},
        ));
        assert_eq!(stopped, Err(Stop::Interrupted));
    }
}
