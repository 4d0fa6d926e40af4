//! `codex-creds login`: picks the flow (API key, access token, browser, device code) and saves
//! what it yields. Previous credentials stay until the new ones are saved.
//!
//! With no method flag, the ChatGPT login is the browser one unless it cannot work here (over
//! SSH, or on Linux without a display): then it is the device code, and one line says why
//! (issue #8 item 12). [`choose`] is the pure rule.

mod api_key;
mod browser;
mod chatgpt;
mod device;
mod wait;

use crate::cli::LoginArgs;
use crate::ctx::Ctx;
use crate::env::Session;
use crate::error::Error;

pub fn run(ctx: &mut Ctx, args: &LoginArgs) -> Result<(), Error> {
    if args.with_api_key || args.api_key.is_some() {
        return api_key::api_key(ctx, args);
    }
    if args.with_access_token {
        return api_key::access_token(ctx);
    }
    match choose(asked(args), &ctx.env.session, Desktop::CURRENT) {
        Flow::Browser => browser::run(ctx, args),
        Flow::Device => device::run(ctx, args),
        Flow::DeviceInstead(why) => {
            ctx.out.note(why.explanation());
            device::run(ctx, args)
        }
    }
}

/// Which ChatGPT login the flags ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Asked {
    /// `--device-auth`.
    Device,
    /// `--browser`, or a flag that only means something to the browser login (`--port`,
    /// `--no-browser`).
    Browser,
    /// Neither: the environment decides.
    Either,
}

pub(crate) fn asked(args: &LoginArgs) -> Asked {
    if args.device_auth {
        Asked::Device
    } else if args.browser || args.no_browser || args.port.is_some() {
        Asked::Browser
    } else {
        Asked::Either
    }
}

/// Whether a browser on this OS needs a display server to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Desktop {
    /// Linux: X11 or Wayland (`DISPLAY` / `WAYLAND_DISPLAY`).
    NeedsDisplay,
    /// macOS, Windows and the rest: no variable tells, so assume a browser can open.
    Native,
}

impl Desktop {
    pub(crate) const CURRENT: Desktop = if cfg!(target_os = "linux") {
        Desktop::NeedsDisplay
    } else {
        Desktop::Native
    };
}

/// The interactive ChatGPT login to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Browser,
    Device,
    /// The device code, chosen for the user because the browser login cannot work here.
    DeviceInstead(Headless),
}

/// Why the browser login cannot work here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Headless {
    /// The browser is on the user's machine; its redirect to 127.0.0.1 never reaches us.
    Ssh,
    /// No browser can open on this machine.
    NoDisplay,
}

impl Headless {
    /// The one line `login` prints when it picks the device code for the user.
    pub(crate) fn explanation(self) -> &'static str {
        match self {
            Headless::Ssh => {
                "using the device-code login: this is an SSH session (SSH_CONNECTION or SSH_TTY \
                 is set), where a browser cannot reach this machine's callback; pass --browser to \
                 use the browser login anyway"
            }
            Headless::NoDisplay => {
                "using the device-code login: there is no display (neither DISPLAY nor \
                 WAYLAND_DISPLAY is set), so no browser can open here; pass --browser to use the \
                 browser login anyway"
            }
        }
    }
}

/// The rule: what the user asked for wins, and so does a `BROWSER` they named; otherwise SSH,
/// or no display where a browser needs one, means the device code.
pub(crate) fn choose(asked: Asked, session: &Session, desktop: Desktop) -> Flow {
    match asked {
        Asked::Device => return Flow::Device,
        Asked::Browser => return Flow::Browser,
        Asked::Either => {}
    }
    if session.browser {
        return Flow::Browser;
    }
    if session.ssh_connection || session.ssh_tty {
        return Flow::DeviceInstead(Headless::Ssh);
    }
    match desktop {
        Desktop::NeedsDisplay if !(session.display || session.wayland_display) => {
            Flow::DeviceInstead(Headless::NoDisplay)
        }
        Desktop::NeedsDisplay | Desktop::Native => Flow::Browser,
    }
}

pub(crate) use crate::signin::save;

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command, CtxCommand};

    fn asked_by(flags: &[&str]) -> Asked {
        let argv = ["codex-creds", "login"]
            .into_iter()
            .chain(flags.iter().copied());
        match Cli::try_parse_from(argv).unwrap().command {
            Command::WithCtx(CtxCommand::Login(args)) => asked(&args),
            other => panic!("not login: {other:?}"),
        }
    }

    #[test]
    fn flags_say_which_login_was_asked_for() {
        assert_eq!(asked_by(&[]), Asked::Either);
        assert_eq!(asked_by(&["--timeout", "5m"]), Asked::Either);
        assert_eq!(asked_by(&["--device-auth"]), Asked::Device);
        // --device-auth keeps meaning device, whatever else is given.
        assert_eq!(
            asked_by(&["--device-auth", "--port", "1455"]),
            Asked::Device
        );
        assert_eq!(asked_by(&["--device-auth", "--no-browser"]), Asked::Device);
        assert_eq!(asked_by(&["--browser"]), Asked::Browser);
        assert_eq!(asked_by(&["--port", "1455"]), Asked::Browser);
        assert_eq!(asked_by(&["--no-browser"]), Asked::Browser);
    }

    /// Every session: each of the five variables set or not.
    fn sessions() -> impl Iterator<Item = Session> {
        (0..32u8).map(|bits| Session {
            ssh_connection: bits & 1 != 0,
            ssh_tty: bits & 2 != 0,
            display: bits & 4 != 0,
            wayland_display: bits & 8 != 0,
            browser: bits & 16 != 0,
        })
    }

    #[test]
    fn every_combination_gets_the_flow_the_rule_gives() {
        let mut seen = 0;
        for desktop in [Desktop::NeedsDisplay, Desktop::Native] {
            for session in sessions() {
                for asked in [Asked::Device, Asked::Browser, Asked::Either] {
                    seen += 1;
                    let flow = choose(asked, &session, desktop);
                    let ssh = session.ssh_connection || session.ssh_tty;
                    let display = session.display || session.wayland_display;
                    let expected = match asked {
                        // What the user asked for is never overruled.
                        Asked::Device => Flow::Device,
                        Asked::Browser => Flow::Browser,
                        // A launcher the user named keeps the browser, even over SSH.
                        Asked::Either if session.browser => Flow::Browser,
                        Asked::Either if ssh => Flow::DeviceInstead(Headless::Ssh),
                        Asked::Either if desktop == Desktop::NeedsDisplay && !display => {
                            Flow::DeviceInstead(Headless::NoDisplay)
                        }
                        Asked::Either => Flow::Browser,
                    };
                    assert_eq!(flow, expected, "{asked:?} {session:?} {desktop:?}");
                }
            }
        }
        assert_eq!(seen, 2 * 32 * 3);
    }

    #[test]
    fn sessions_people_actually_have() {
        let linux = Desktop::NeedsDisplay;
        let none = Session::default();
        let desktop_x11 = Session {
            display: true,
            ..none
        };
        let desktop_wayland = Session {
            wayland_display: true,
            ..none
        };
        // `ssh -X`: a forwarded X display, but the browser's redirect still goes nowhere.
        let ssh_with_x = Session {
            ssh_connection: true,
            ssh_tty: true,
            display: true,
            ..none
        };
        // VS Code Remote-SSH names its own launcher (and forwards the port).
        let vscode_remote = Session {
            ssh_connection: true,
            browser: true,
            ..none
        };
        let cases = [
            (desktop_x11, linux, Flow::Browser),
            (desktop_wayland, linux, Flow::Browser),
            (ssh_with_x, linux, Flow::DeviceInstead(Headless::Ssh)),
            (vscode_remote, linux, Flow::Browser),
            (none, linux, Flow::DeviceInstead(Headless::NoDisplay)),
            (none, Desktop::Native, Flow::Browser),
        ];
        for (session, desktop, flow) in cases {
            assert_eq!(
                choose(Asked::Either, &session, desktop),
                flow,
                "{session:?}"
            );
        }
    }

    #[test]
    fn the_explanation_is_one_line_that_names_the_way_back() {
        for why in [Headless::Ssh, Headless::NoDisplay] {
            let text = why.explanation();
            assert!(!text.contains('\n') && !text.contains("  "), "{text}");
            assert!(text.starts_with("using the device-code login"), "{text}");
            assert!(text.contains("--browser"), "{text}");
        }
        assert!(Headless::Ssh.explanation().contains("SSH_CONNECTION"));
        assert!(
            Headless::NoDisplay
                .explanation()
                .contains("WAYLAND_DISPLAY")
        );
    }
}
