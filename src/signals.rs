//! Deferring termination signals over a critical section: [`Deferred`] blocks SIGINT, SIGTERM,
//! SIGHUP and SIGQUIT until it is dropped, when any that arrived meanwhile are delivered.
//!
//! Used from the moment a refresh grant is sent until its tokens are committed: once the issuer
//! has answered, the old refresh token is dead, so dying before the save would lose the login.
//! Threads started inside the section (DNS resolver, keyring worker) inherit the blocked mask, so
//! a deferred signal can only be delivered to the thread that unblocks it.

/// Termination signals are held back while this lives (a no-op where there are no signals).
#[must_use = "signals are deferred only while the guard lives"]
pub struct Deferred {
    #[cfg(unix)]
    previous: libc::sigset_t,
}

impl Deferred {
    /// Blocks the termination signals on this thread, remembering the previous mask.
    pub fn now() -> Self {
        #[cfg(unix)]
        {
            // SAFETY: sigset_t is plain data; sigemptyset/sigaddset initialise it, and
            // pthread_sigmask only reads `set` and writes `previous`.
            unsafe {
                let mut set: libc::sigset_t = std::mem::zeroed();
                let mut previous: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
                    libc::sigaddset(&mut set, signal);
                }
                libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut previous);
                Deferred { previous }
            }
        }
        #[cfg(not(unix))]
        {
            Deferred {}
        }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        // SAFETY: restores the mask saved by `now`; a pending signal is delivered here.
        #[cfg(unix)]
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.previous, std::ptr::null_mut());
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn blocked(signal: libc::c_int) -> bool {
        // SAFETY: reads the current mask into a zeroed set.
        unsafe {
            let mut current: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut current);
            libc::sigismember(&current, signal) == 1
        }
    }

    #[test]
    fn signals_are_blocked_inside_and_restored_after() {
        // A fresh thread, so the test runner's own mask does not matter.
        std::thread::spawn(|| {
            assert!(!blocked(libc::SIGTERM));
            {
                let _deferred = Deferred::now();
                assert!(blocked(libc::SIGTERM) && blocked(libc::SIGINT));
                let inherited = std::thread::spawn(|| blocked(libc::SIGTERM))
                    .join()
                    .unwrap();
                assert!(inherited, "threads started inside inherit the mask");
            }
            assert!(!blocked(libc::SIGTERM) && !blocked(libc::SIGINT));
        })
        .join()
        .unwrap();
    }
}
