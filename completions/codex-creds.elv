
use builtin;
use str;

set edit:completion:arg-completer[codex-creds] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'codex-creds'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'codex-creds'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in: ChatGPT in the browser or with a device code (over SSH), API key or access token'
            cand logout 'Remove stored credentials (and revoke the ChatGPT refresh token)'
            cand status 'Show who is logged in, how and where the credentials are stored (no network)'
            cand refresh 'Refresh the ChatGPT access token now, or only when it expires soon'
            cand token 'Print the bearer token (API key or access token) for scripts, refreshing it when needed'
            cand migrate 'Move the stored credentials to another store (file, keyring)'
            cand app-server 'Serve Codex''s account JSON-RPC API (`codex app-server`''s login methods) over stdio'
            cand usage 'Show the ChatGPT plan''s usage limits (5-hour, weekly, credits) for the active login'
            cand workspace 'List the workspaces of the active ChatGPT login, or switch to one'
            cand account 'Several logins side by side: save, add, list, switch (use), rename, remove, import, export'
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codex-creds;login'= {
            cand --api-key 'Log in with an API key; without KEY it is read from stdin (KEY on the command line is visible to other processes)'
            cand --port 'Port for the local callback server [default: 1455, falling back to 1457] (keeps the browser login)'
            cand --timeout 'Give up on the browser or device login after this long (e.g. 90s, 10m)'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --with-api-key 'Read an API key from stdin (a hidden prompt when stdin is a terminal)'
            cand --with-access-token 'Read a personal access token (at-…) from stdin'
            cand --device-auth 'Sign in with a one-time device code instead of a local browser callback (the default over SSH, or on Linux without a display)'
            cand --browser 'Use the browser login even over SSH or without a display (so do --port, --no-browser and a BROWSER environment variable)'
            cand --no-browser 'Print the sign-in URL instead of opening a browser (keeps the browser login)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;logout'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --no-revoke 'Do not revoke the refresh token at the issuer; only remove local credentials'
            cand --json 'Print the result as JSON on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;status'= {
            cand --account 'Show a saved account instead of the active login (without making it active)'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --json 'Print the status as JSON on stdout (stable schema, see README)'
            cand --show-token 'Include the full API key or access token in the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;refresh'= {
            cand --min-validity 'Refresh only when the access token expires within this long (e.g. 15m); default: always'
            cand --account 'Refresh a saved account instead of the active login (without making it active)'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --json 'Print the result as JSON on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;token'= {
            cand --min-validity 'Refresh first when the access token expires within this long'
            cand --account 'Print the token of a saved account instead of the active login''s (without making it active)'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --json 'Print a JSON object with the token, its mode and its expiry instead of the bare token'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;migrate'= {
            cand --to 'The store to move the credentials to'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;app-server'= {
            cand --port 'Port for the ChatGPT login''s callback [default: 1455, else 1457]'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;usage'= {
            cand --account 'Show a saved account''s usage instead of the active login''s (without making it active)'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --json 'Print the usage as JSON on stdout (stable schema, see README)'
            cand --all 'Show the usage of every saved account, read in parallel (JSON: keyed by account name)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;workspace'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the workspaces of the active login: id, name, personal or workspace, selected (*)'
            cand use 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codex-creds;workspace;list'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --json 'Print the workspaces as JSON on stdout (stable schema, see README)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;workspace;use'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;workspace;help'= {
            cand list 'List the workspaces of the active login: id, name, personal or workspace, selected (*)'
            cand use 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codex-creds;workspace;help;list'= {
        }
        &'codex-creds;workspace;help;use'= {
        }
        &'codex-creds;workspace;help;help'= {
        }
        &'codex-creds;account'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand save 'Save the active login as the account NAME (again: update it)'
            cand add 'Log in a new account and save it as NAME, without touching or revoking the active login'
            cand list 'List the saved accounts (no network)'
            cand use 'Make the account NAME (or, with --best, the one with the most usage left) the active login'
            cand rename 'Rename a saved account'
            cand remove 'Revoke a saved account''s login at its issuer and forget it'
            cand import 'Save an auth.json (from a file or stdin) as an account, or import another switcher''s'
            cand export 'Print a saved account''s auth.json on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codex-creds;account;save'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;add'= {
            cand --api-key 'Log in with an API key; without KEY it is read from stdin (KEY on the command line is visible to other processes)'
            cand --port 'Port for the local callback server [default: 1455, falling back to 1457] (keeps the browser login)'
            cand --timeout 'Give up on the browser or device login after this long (e.g. 90s, 10m)'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --use 'Also make it the active login'
            cand --with-api-key 'Read an API key from stdin (a hidden prompt when stdin is a terminal)'
            cand --with-access-token 'Read a personal access token (at-…) from stdin'
            cand --device-auth 'Sign in with a one-time device code instead of a local browser callback (the default over SSH, or on Linux without a display)'
            cand --browser 'Use the browser login even over SSH or without a display (so do --port, --no-browser and a BROWSER environment variable)'
            cand --no-browser 'Print the sign-in URL instead of opening a browser (keeps the browser login)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;list'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --json 'Print the list as JSON on stdout (stable schema, see README)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;use'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --best 'Switch to the saved account with the most headroom (the smallest `100 - used %` over its windows); ties keep the active account; accounts whose usage cannot be read are skipped'
            cand --dry-run 'With --best: only say which account it would pick'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;rename'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;remove'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --no-revoke 'Do not revoke the refresh token at the issuer; only forget the account'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;import'= {
            cand --name 'The name to save it as'
            cand --from 'Import the accounts of another switcher (read-only: its files are left as they are)'
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;export'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand --access-only 'Leave out the refresh token: the copy can use the access token but can never rotate, and so never revoke, the login'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;account;help'= {
            cand save 'Save the active login as the account NAME (again: update it)'
            cand add 'Log in a new account and save it as NAME, without touching or revoking the active login'
            cand list 'List the saved accounts (no network)'
            cand use 'Make the account NAME (or, with --best, the one with the most usage left) the active login'
            cand rename 'Rename a saved account'
            cand remove 'Revoke a saved account''s login at its issuer and forget it'
            cand import 'Save an auth.json (from a file or stdin) as an account, or import another switcher''s'
            cand export 'Print a saved account''s auth.json on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codex-creds;account;help;save'= {
        }
        &'codex-creds;account;help;add'= {
        }
        &'codex-creds;account;help;list'= {
        }
        &'codex-creds;account;help;use'= {
        }
        &'codex-creds;account;help;rename'= {
        }
        &'codex-creds;account;help;remove'= {
        }
        &'codex-creds;account;help;import'= {
        }
        &'codex-creds;account;help;export'= {
        }
        &'codex-creds;account;help;help'= {
        }
        &'codex-creds;completion'= {
            cand --codex-home 'Codex home directory [default: $CODEX_HOME, else ~/.codex]'
            cand -c 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --config 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')'
            cand --store 'Credential store for this run, overriding `cli_auth_credentials_store`'
            cand --issuer 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'codex-creds;help'= {
            cand login 'Log in: ChatGPT in the browser or with a device code (over SSH), API key or access token'
            cand logout 'Remove stored credentials (and revoke the ChatGPT refresh token)'
            cand status 'Show who is logged in, how and where the credentials are stored (no network)'
            cand refresh 'Refresh the ChatGPT access token now, or only when it expires soon'
            cand token 'Print the bearer token (API key or access token) for scripts, refreshing it when needed'
            cand migrate 'Move the stored credentials to another store (file, keyring)'
            cand app-server 'Serve Codex''s account JSON-RPC API (`codex app-server`''s login methods) over stdio'
            cand usage 'Show the ChatGPT plan''s usage limits (5-hour, weekly, credits) for the active login'
            cand workspace 'List the workspaces of the active ChatGPT login, or switch to one'
            cand account 'Several logins side by side: save, add, list, switch (use), rename, remove, import, export'
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codex-creds;help;login'= {
        }
        &'codex-creds;help;logout'= {
        }
        &'codex-creds;help;status'= {
        }
        &'codex-creds;help;refresh'= {
        }
        &'codex-creds;help;token'= {
        }
        &'codex-creds;help;migrate'= {
        }
        &'codex-creds;help;app-server'= {
        }
        &'codex-creds;help;usage'= {
        }
        &'codex-creds;help;workspace'= {
            cand list 'List the workspaces of the active login: id, name, personal or workspace, selected (*)'
            cand use 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)'
        }
        &'codex-creds;help;workspace;list'= {
        }
        &'codex-creds;help;workspace;use'= {
        }
        &'codex-creds;help;account'= {
            cand save 'Save the active login as the account NAME (again: update it)'
            cand add 'Log in a new account and save it as NAME, without touching or revoking the active login'
            cand list 'List the saved accounts (no network)'
            cand use 'Make the account NAME (or, with --best, the one with the most usage left) the active login'
            cand rename 'Rename a saved account'
            cand remove 'Revoke a saved account''s login at its issuer and forget it'
            cand import 'Save an auth.json (from a file or stdin) as an account, or import another switcher''s'
            cand export 'Print a saved account''s auth.json on stdout'
        }
        &'codex-creds;help;account;save'= {
        }
        &'codex-creds;help;account;add'= {
        }
        &'codex-creds;help;account;list'= {
        }
        &'codex-creds;help;account;use'= {
        }
        &'codex-creds;help;account;rename'= {
        }
        &'codex-creds;help;account;remove'= {
        }
        &'codex-creds;help;account;import'= {
        }
        &'codex-creds;help;account;export'= {
        }
        &'codex-creds;help;completion'= {
        }
        &'codex-creds;help;help'= {
        }
    ]
    $completions[$command]
}
