# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_codex_creds_global_optspecs
    string join \n codex-home= c/config= store= issuer= h/help V/version
end

function __fish_codex_creds_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_codex_creds_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_codex_creds_using_subcommand
    set -l cmd (__fish_codex_creds_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c codex-creds -n "__fish_codex_creds_needs_command" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_needs_command" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_needs_command" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_needs_command" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -s V -l version -d 'Print version'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "login" -d 'Log in: ChatGPT in the browser or with a device code (over SSH), API key or access token'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "logout" -d 'Remove stored credentials (and revoke the ChatGPT refresh token)'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "status" -d 'Show who is logged in, how and where the credentials are stored (no network)'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "refresh" -d 'Refresh the ChatGPT access token now, or only when it expires soon'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "token" -d 'Print the bearer token (API key or access token) for scripts, refreshing it when needed'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "migrate" -d 'Move the stored credentials to another store (file, keyring)'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "app-server" -d 'Serve Codex\'s account JSON-RPC API (`codex app-server`\'s login methods) over stdio'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "usage" -d 'Show the ChatGPT plan\'s usage limits (5-hour, weekly, credits) for the active login'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "workspace" -d 'List the workspaces of the active ChatGPT login, or switch to one'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "account" -d 'Several logins side by side: save, add, list, switch (use), rename, remove, import, export'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c codex-creds -n "__fish_codex_creds_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l api-key -d 'Log in with an API key; without KEY it is read from stdin (KEY on the command line is visible to other processes)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l port -d 'Port for the local callback server [default: 1455, falling back to 1457] (keeps the browser login)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l timeout -d 'Give up on the browser or device login after this long (e.g. 90s, 10m)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l with-api-key -d 'Read an API key from stdin (a hidden prompt when stdin is a terminal)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l with-access-token -d 'Read a personal access token (at-…) from stdin'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l device-auth -d 'Sign in with a one-time device code instead of a local browser callback (the default over SSH, or on Linux without a display)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l browser -d 'Use the browser login even over SSH or without a display (so do --port, --no-browser and a BROWSER environment variable)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -l no-browser -d 'Print the sign-in URL instead of opening a browser (keeps the browser login)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand logout" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand logout" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand logout" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand logout" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand logout" -l no-revoke -d 'Do not revoke the refresh token at the issuer; only remove local credentials'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand logout" -l json -d 'Print the result as JSON on stdout'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -l account -d 'Show a saved account instead of the active login (without making it active)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -l json -d 'Print the status as JSON on stdout (stable schema, see README)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -l show-token -d 'Include the full API key or access token in the output'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -l min-validity -d 'Refresh only when the access token expires within this long (e.g. 15m); default: always' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -l account -d 'Refresh a saved account instead of the active login (without making it active)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -l json -d 'Print the result as JSON on stdout'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -l min-validity -d 'Refresh first when the access token expires within this long' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -l account -d 'Print the token of a saved account instead of the active login\'s (without making it active)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -l json -d 'Print a JSON object with the token, its mode and its expiry instead of the bare token'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand migrate" -l to -d 'The store to move the credentials to' -r -f -a "file\t''
keyring\t''"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand migrate" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand migrate" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand migrate" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand migrate" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand app-server" -l port -d 'Port for the ChatGPT login\'s callback [default: 1455, else 1457]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand app-server" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand app-server" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand app-server" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand app-server" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand app-server" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -l account -d 'Show a saved account\'s usage instead of the active login\'s (without making it active)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -l json -d 'Print the usage as JSON on stdout (stable schema, see README)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -l all -d 'Show the usage of every saved account, read in parallel (JSON: keyed by account name)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand usage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -f -a "list" -d 'List the workspaces of the active login: id, name, personal or workspace, selected (*)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -f -a "use" -d 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and not __fish_seen_subcommand_from list use help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from list" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from list" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from list" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from list" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from list" -l json -d 'Print the workspaces as JSON on stdout (stable schema, see README)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from use" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from use" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from use" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from use" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the workspaces of the active login: id, name, personal or workspace, selected (*)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "use" -d 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "save" -d 'Save the active login as the account NAME (again: update it)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "add" -d 'Log in a new account and save it as NAME, without touching or revoking the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "list" -d 'List the saved accounts (no network)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "use" -d 'Make the account NAME (or, with --best, the one with the most usage left) the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "rename" -d 'Rename a saved account'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "remove" -d 'Revoke a saved account\'s login at its issuer and forget it'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "import" -d 'Save an auth.json (from a file or stdin) as an account, or import another switcher\'s'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "export" -d 'Print a saved account\'s auth.json on stdout'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and not __fish_seen_subcommand_from save add list use rename remove import export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from save" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from save" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from save" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from save" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l api-key -d 'Log in with an API key; without KEY it is read from stdin (KEY on the command line is visible to other processes)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l port -d 'Port for the local callback server [default: 1455, falling back to 1457] (keeps the browser login)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l timeout -d 'Give up on the browser or device login after this long (e.g. 90s, 10m)' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l use -d 'Also make it the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l with-api-key -d 'Read an API key from stdin (a hidden prompt when stdin is a terminal)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l with-access-token -d 'Read a personal access token (at-…) from stdin'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l device-auth -d 'Sign in with a one-time device code instead of a local browser callback (the default over SSH, or on Linux without a display)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l browser -d 'Use the browser login even over SSH or without a display (so do --port, --no-browser and a BROWSER environment variable)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -l no-browser -d 'Print the sign-in URL instead of opening a browser (keeps the browser login)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from list" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from list" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from list" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from list" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from list" -l json -d 'Print the list as JSON on stdout (stable schema, see README)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from use" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from use" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from use" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from use" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from use" -l best -d 'Switch to the saved account with the most headroom (the smallest `100 - used %` over its windows); ties keep the active account; accounts whose usage cannot be read are skipped'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from use" -l dry-run -d 'With --best: only say which account it would pick'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from rename" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from rename" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from rename" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from rename" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from remove" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from remove" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from remove" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from remove" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from remove" -l no-revoke -d 'Do not revoke the refresh token at the issuer; only forget the account'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from import" -l name -d 'The name to save it as' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from import" -l from -d 'Import the accounts of another switcher (read-only: its files are left as they are)' -r -f -a "codex-auth\t'Loongphy/codex-auth: CODEX_HOME/accounts/registry.json and *.auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from import" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from import" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from import" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from import" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from export" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from export" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from export" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from export" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from export" -l access-only -d 'Leave out the refresh token: the copy can use the access token but can never rotate, and so never revoke, the login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save the active login as the account NAME (again: update it)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "add" -d 'Log in a new account and save it as NAME, without touching or revoking the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the saved accounts (no network)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make the account NAME (or, with --best, the one with the most usage left) the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a saved account'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Revoke a saved account\'s login at its issuer and forget it'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "import" -d 'Save an auth.json (from a file or stdin) as an account, or import another switcher\'s'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print a saved account\'s auth.json on stdout'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand account; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand completion" -l codex-home -d 'Codex home directory [default: $CODEX_HOME, else ~/.codex]' -r -F
complete -c codex-creds -n "__fish_codex_creds_using_subcommand completion" -s c -l config -d 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=\'"api"\')' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand completion" -l store -d 'Credential store for this run, overriding `cli_auth_credentials_store`' -r -f -a "file\t'auth.json in CODEX_HOME'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
auto\t'The keyring when it works, else auth.json'"
complete -c codex-creds -n "__fish_codex_creds_using_subcommand completion" -l issuer -d 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]' -r
complete -c codex-creds -n "__fish_codex_creds_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "login" -d 'Log in: ChatGPT in the browser or with a device code (over SSH), API key or access token'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "logout" -d 'Remove stored credentials (and revoke the ChatGPT refresh token)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "status" -d 'Show who is logged in, how and where the credentials are stored (no network)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "refresh" -d 'Refresh the ChatGPT access token now, or only when it expires soon'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "token" -d 'Print the bearer token (API key or access token) for scripts, refreshing it when needed'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "migrate" -d 'Move the stored credentials to another store (file, keyring)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "app-server" -d 'Serve Codex\'s account JSON-RPC API (`codex app-server`\'s login methods) over stdio'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "usage" -d 'Show the ChatGPT plan\'s usage limits (5-hour, weekly, credits) for the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "workspace" -d 'List the workspaces of the active ChatGPT login, or switch to one'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "account" -d 'Several logins side by side: save, add, list, switch (use), rename, remove, import, export'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "completion" -d 'Print a shell completion script'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and not __fish_seen_subcommand_from login logout status refresh token migrate app-server usage workspace account completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from workspace" -f -a "list" -d 'List the workspaces of the active login: id, name, personal or workspace, selected (*)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from workspace" -f -a "use" -d 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "save" -d 'Save the active login as the account NAME (again: update it)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "add" -d 'Log in a new account and save it as NAME, without touching or revoking the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "list" -d 'List the saved accounts (no network)'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "use" -d 'Make the account NAME (or, with --best, the one with the most usage left) the active login'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "rename" -d 'Rename a saved account'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "remove" -d 'Revoke a saved account\'s login at its issuer and forget it'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "import" -d 'Save an auth.json (from a file or stdin) as an account, or import another switcher\'s'
complete -c codex-creds -n "__fish_codex_creds_using_subcommand help; and __fish_seen_subcommand_from account" -f -a "export" -d 'Print a saved account\'s auth.json on stdout'
