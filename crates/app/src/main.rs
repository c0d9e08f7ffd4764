//! The `practicum` command line: serve, migrate, seed-demo, user create, allocate, check,
//! audit verify, backup, restore, import.
use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc, not glibc's malloc: under load the server's threads (tokio's workers and one
/// worker thread per SQLite connection) allocate and free rows and JSON all the time, and
/// glibc's arenas spent a third of the CPU in its locks and `malloc_consolidate`
/// (bench/results/server-scale.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli_allocate;
mod cli_ops;
use practicum::{clock::Clock, config::Config, startup};
use serde_json::json;
use std::{net::SocketAddr, path::PathBuf};

#[derive(Parser)]
#[command(
    name = "practicum",
    version,
    about = "Clinical rotations and internships for a hospital's education office"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// How log lines are written: `text` for people (on stdout), `json` for a log collector
    /// (one JSON object a line, on stderr).
    #[arg(
        long,
        global = true,
        env = "PRACTICUM_LOG_FORMAT",
        default_value = "text"
    )]
    log_format: LogFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and the API (migrates first).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(Store),
    /// Load the demo hospital system into an empty database.
    SeedDemo(Store),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Allocate a term (ALLOCATION.md): the solution JSON to stdout, progress to stderr.
    Allocate(cli_allocate::AllocateArgs),
    /// Check a solution against its problem: exit 0 if feasible, and print the objective.
    Check(cli_allocate::CheckArgs),
    /// The audit trail's hash chain.
    #[command(subcommand)]
    Audit(cli_ops::AuditCommand),
    /// Copy the database (online) and the uploaded files into a new directory, with a
    /// manifest of their SHA-256 hashes.
    Backup(cli_ops::BackupArgs),
    /// Put a backup back into an empty data directory or database, checking every hash.
    Restore(cli_ops::RestoreArgs),
    /// Import students, staff or users from a CSV or XLSX file (every row checked first).
    Import(cli_ops::ImportArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user (migrates first if needed).
    Create(UserArgs),
}

#[derive(Args, Clone)]
pub(crate) struct Store {
    /// Where the SQLite database, uploaded files and the mail outbox live.
    #[arg(long, env = "PRACTICUM_DATA_DIR", default_value = "./practicum-data")]
    data_dir: PathBuf,
    /// `postgres://...` to run on PostgreSQL; default: SQLite in the data directory.
    #[arg(long, env = "PRACTICUM_DATABASE")]
    database: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, env = "PRACTICUM_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    store: Store,
    /// Seed the demo hospital system on first start.
    #[arg(long, env = "PRACTICUM_DEMO")]
    demo: bool,
    /// Served over https: cookies are Secure and named `__Host-...`, and every answer carries
    /// HSTS (`Strict-Transport-Security: max-age=63072000; includeSubDomains`).
    #[arg(long, env = "PRACTICUM_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Minutes of inactivity before a session ends.
    #[arg(long, env = "PRACTICUM_SESSION_IDLE_MINUTES", default_value_t = 30)]
    session_idle_minutes: u64,
    /// Hours a session lasts at most.
    #[arg(long, env = "PRACTICUM_SESSION_HOURS", default_value_t = 12)]
    session_hours: u64,
    /// Failed sign-ins of one account (from any address) before it must wait.
    #[arg(long, env = "PRACTICUM_LOGIN_MAX_FAILURES", default_value_t = 5)]
    login_max_failures: i64,
    /// Failed sign-ins from one client address (any account) before its wrong passwords answer
    /// 429; a right password for an account that is not itself waiting still signs in.
    #[arg(
        long,
        env = "PRACTICUM_LOGIN_ADDRESS_MAX_FAILURES",
        default_value_t = 100
    )]
    login_address_max_failures: i64,
    /// Minutes for one counted sign-in failure to leak away (per account and per address).
    #[arg(long, env = "PRACTICUM_LOGIN_DECAY_MINUTES", default_value_t = 15)]
    login_decay_minutes: u64,
    /// A reverse proxy (IP or CIDR network) whose `X-Forwarded-For` names the client;
    /// repeatable. From any other peer the header is ignored.
    #[arg(long = "trusted-proxy", env = "PRACTICUM_TRUSTED_PROXY", value_delimiter = ',',
          value_parser = parse_ip_range)]
    trusted_proxies: Vec<practicum::net::IpRange>,
    /// Requests handled at once; past it the server answers 503 with Retry-After at once.
    #[arg(long, env = "PRACTICUM_MAX_IN_FLIGHT", default_value_t = 512)]
    max_in_flight: usize,
    /// Store connections in the pool; default: 10.
    #[arg(long, env = "PRACTICUM_DB_CONNECTIONS")]
    db_connections: Option<u32>,
    /// Password hashes (19 MiB each) run at once; default: the number of cores.
    #[arg(long, env = "PRACTICUM_HASH_CONCURRENCY")]
    hash_concurrency: Option<usize>,
    /// Send mail through this SMTP server (`smtp://user:pass@host:587?tls=required` or
    /// `smtps://...`); without it, mail is written to the data directory's outbox.
    #[arg(long, env = "PRACTICUM_SMTP_URL")]
    smtp_url: Option<String>,
    /// Minutes between the office's emails listing new uploads; 0 emails each upload at once.
    #[arg(long, env = "PRACTICUM_UPLOAD_DIGEST_MINUTES", default_value_t = 60)]
    upload_digest_minutes: u64,
    #[command(flatten)]
    oidc: OidcArgs,
}

/// Sign-in through the hospital's OpenID Connect provider (README "Single sign-on").
#[derive(Args, Default)]
struct OidcArgs {
    /// The provider's issuer URL (its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`); without it, passwords only.
    #[arg(long, env = "PRACTICUM_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    #[arg(long, env = "PRACTICUM_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    #[arg(long, env = "PRACTICUM_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// Practicum's callback as registered with the provider; default
    /// `<public address>/login/sso/callback`.
    #[arg(long, env = "PRACTICUM_OIDC_REDIRECT_URL")]
    oidc_redirect_url: Option<String>,
    /// The ID token claim with the person's groups or roles.
    #[arg(long, env = "PRACTICUM_OIDC_ROLE_CLAIM", default_value = "groups")]
    oidc_role_claim: String,
    /// `claim-value=role,...`, e.g. `hec-admins=admin,hec-staff=coordinator`.
    #[arg(long, env = "PRACTICUM_OIDC_ROLE_MAP", default_value = "")]
    oidc_role_map: String,
    /// The provider's name on the sign-in button.
    #[arg(
        long,
        env = "PRACTICUM_OIDC_NAME",
        default_value = "the hospital's sign-in"
    )]
    oidc_name: String,
}

impl OidcArgs {
    /// The provider's configuration, if an issuer is given. Errors: an issuer without a client
    /// id, or a role map that does not read.
    fn config(self, addr: SocketAddr) -> anyhow::Result<Option<practicum::config::OidcConfig>> {
        let Some(issuer) = self.oidc_issuer else {
            return Ok(None);
        };
        let client_id = self
            .oidc_client_id
            .ok_or_else(|| anyhow::anyhow!("--oidc-issuer needs --oidc-client-id"))?;
        let role_map = practicum::domain::sso::RoleMap::parse(&self.oidc_role_map)
            .map_err(|e| anyhow::anyhow!("--oidc-role-map: {e}"))?;
        if role_map.is_empty() {
            tracing::warn!(
                "--oidc-role-map is empty: no one can sign in through the identity provider"
            );
        }
        Ok(Some(practicum::config::OidcConfig {
            issuer,
            client_id,
            client_secret: self.oidc_client_secret,
            redirect_url: self
                .oidc_redirect_url
                .unwrap_or_else(|| format!("http://{addr}/login/sso/callback")),
            role_claim: self.oidc_role_claim,
            role_map,
            provider_name: self.oidc_name,
        }))
    }
}

#[derive(Args)]
struct UserArgs {
    #[command(flatten)]
    store: Store,
    #[arg(long, env = "PRACTICUM_EMAIL")]
    email: String,
    #[arg(long, env = "PRACTICUM_NAME")]
    name: String,
    /// admin, coordinator, school_coordinator, student, preceptor, faculty, department_manager
    #[arg(long, env = "PRACTICUM_ROLE")]
    role: String,
    #[arg(long, env = "PRACTICUM_PASSWORD")]
    password: String,
    #[arg(long, env = "PRACTICUM_SCHOOL_ID")]
    school_id: Option<String>,
    #[arg(long, env = "PRACTICUM_STAFF_ID")]
    staff_id: Option<String>,
    #[arg(long, env = "PRACTICUM_STUDENT_ID")]
    student_id: Option<String>,
}

fn parse_ip_range(s: &str) -> Result<practicum::net::IpRange, String> {
    practicum::net::IpRange::parse(s)
}

pub(crate) fn config_for(store: &Store) -> Config {
    let mut c = Config::new(store.data_dir.clone());
    c.database = store.database.clone();
    c
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    // The allocator is pure CPU work on files: no runtime, no logging on stdout.
    match cli.command {
        Some(Command::Allocate(a)) => return Ok(cli_allocate::allocate(a)),
        Some(Command::Check(a)) => return Ok(cli_allocate::check_files(a)),
        _ => {}
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        // JSON lines go to stderr, so stdout keeps only the lines a command prints for people.
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_writer(std::io::stderr)
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init(),
    }
    // No subcommand: the demo, as `cargo run --release` promises.
    let command = cli.command.unwrap_or_else(|| {
        Command::Serve(ServeArgs {
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], 8080)),
            store: Store {
                data_dir: "./practicum-data".into(),
                database: None,
            },
            demo: true,
            secure_cookies: false,
            session_idle_minutes: 30,
            session_hours: 12,
            login_max_failures: 5,
            login_address_max_failures: 100,
            login_decay_minutes: 15,
            trusted_proxies: vec![],
            max_in_flight: 512,
            db_connections: None,
            hash_concurrency: None,
            smtp_url: None,
            upload_digest_minutes: 60,
            oidc: OidcArgs::default(),
        })
    });
    match command {
        Command::Serve(a) => serve(a).await.map(|()| ExitCode::SUCCESS),
        Command::Migrate(s) => {
            let db = startup::open(&config_for(&s)).await?;
            println!("migrated the {} database", db.backend());
            Ok(ExitCode::SUCCESS)
        }
        Command::SeedDemo(s) => {
            let config = config_for(&s);
            let db = startup::open(&config).await?;
            let st = practicum::state::AppState::new(db, config, Clock::system());
            // The demo's dates are relative to the office's today.
            practicum::service::settings::load_time_zone(&st).await?;
            practicum::seed::seed_demo(&st).await?;
            println!("seeded the demo hospital system");
            print_demo_signins();
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Create(u)) => create_user(u).await.map(|()| ExitCode::SUCCESS),
        Command::Audit(cli_ops::AuditCommand::Verify(s)) => Ok(cli_ops::verify(s).await),
        Command::Backup(a) => Ok(cli_ops::backup(a).await),
        Command::Restore(a) => Ok(cli_ops::restore(a).await),
        Command::Import(a) => Ok(cli_ops::import(a).await),
        Command::Allocate(_) | Command::Check(_) => {
            unreachable!("handled before the runtime starts")
        }
    }
}

async fn serve(a: ServeArgs) -> anyhow::Result<()> {
    let mut config = config_for(&a.store);
    config.addr = a.addr;
    config.demo = a.demo;
    config.secure_cookies = a.secure_cookies;
    config.session_idle = std::time::Duration::from_secs(a.session_idle_minutes * 60);
    config.session_absolute = std::time::Duration::from_secs(a.session_hours * 3600);
    config.login_max_failures = a.login_max_failures;
    config.login_address_max_failures = a.login_address_max_failures;
    config.login_decay = std::time::Duration::from_secs(a.login_decay_minutes * 60);
    config.trusted_proxies = a.trusted_proxies;
    config.max_in_flight = a.max_in_flight;
    if let Some(n) = a.db_connections {
        config.db_max_connections = n.max(1);
    }
    if let Some(n) = a.hash_concurrency {
        config.hash_concurrency = n;
    }
    config.smtp_url = a.smtp_url;
    config.upload_digest = std::time::Duration::from_secs(a.upload_digest_minutes * 60);
    config.oidc = a.oidc.config(a.addr)?;
    let test_clock = std::env::var(practicum::clock::TEST_CLOCK_VAR).ok();
    let clock = Clock::for_server(test_clock.as_deref()).map_err(anyhow::Error::msg)?;
    let app = startup::build(config, clock).await?;
    let addr = app.local_addr()?;
    println!(
        "Practicum is running at http://{addr}/ on {}",
        app.state.db.backend()
    );
    if a.demo {
        print_demo_signins();
    }
    app.run_until(startup::shutdown_signal()).await?;
    Ok(())
}

fn print_demo_signins() {
    println!(
        "Demo sign-ins (password for all: {}):",
        practicum::seed::DEMO_PASSWORD
    );
    for (role, email) in practicum::seed::DEMO_USERS {
        println!("  {role:<20} {email}");
    }
}

async fn create_user(u: UserArgs) -> anyhow::Result<()> {
    let config = config_for(&u.store);
    let db = startup::open(&config).await?;
    let st = practicum::state::AppState::new(db, config, Clock::system());
    let mut body =
        json!({ "email": u.email, "name": u.name, "role": u.role, "password": u.password });
    for (k, v) in [
        ("school_id", u.school_id),
        ("staff_id", u.staff_id),
        ("student_id", u.student_id),
    ] {
        if let Some(v) = v {
            body[k] = json!(v);
        }
    }
    let serde_json::Value::Object(map) = body else {
        unreachable!("built as an object")
    };
    let actor = practicum::db::audit::Actor {
        user_id: None,
        label: "command line (practicum user create)".into(),
        ip: None,
        at: st.clock.now(),
    };
    match practicum::service::users::create_user_as(
        &st,
        &actor,
        practicum::http::input::users::new_user(map),
    )
    .await
    {
        Ok(user) => {
            println!("created {} ({}) as {}", user.email, user.id, user.role);
            Ok(())
        }
        Err(practicum::error::AppError::Rejected(p)) => {
            for e in p.0 {
                eprintln!(
                    "{}: {} ({})",
                    e.field.unwrap_or_default(),
                    e.message,
                    e.code
                );
            }
            std::process::exit(2);
        }
        Err(e) => Err(anyhow::anyhow!("{e:?}")),
    }
}
