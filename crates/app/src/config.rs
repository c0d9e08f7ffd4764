//! One `Config` for the whole server. Defaults here; the CLI (clap, with `PRACTICUM_*` env)
//! overrides them. Every limit is configuration so tests can raise or lower it.
use std::{net::SocketAddr, path::PathBuf, time::Duration};

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; `None` means `<data_dir>/practicum.db`.
    pub database: Option<String>,
    /// Seed the demo data on first start.
    pub demo: bool,
    /// Set the `Secure` flag on the session cookie (served over https).
    pub secure_cookies: bool,
    /// The first public base URL of a new database (the `public_base_url` setting, which the
    /// admin changes under Settings); `None` is `http://` and the address the server listens on.
    pub public_origin: Option<String>,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Failed sign-ins of one account (from any address) before it is made to wait; while it
    /// waits even the right password answers 429 (`service::sign_in`).
    pub login_max_failures: i64,
    /// Failed sign-ins from one client address (any account) before its wrong passwords answer
    /// 429; a right password for an account that is not itself waiting still signs in.
    pub login_address_max_failures: i64,
    /// The first wait after the free failures; it doubles with each further failure, to 15
    /// minutes at most.
    pub login_base_delay: Duration,
    /// One counted failure leaks away per this interval (a leaky bucket), per account and per
    /// address alike.
    pub login_decay: Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`); from any
    /// other peer the header is ignored and the socket's address is the client's.
    pub trusted_proxies: Vec<crate::net::IpRange>,
    /// Password hashes (argon2id, 19 MiB each) running at once; default: the number of cores.
    pub hash_concurrency: usize,
    /// How long a sign-in or password change waits for a free hash before 503 `server_busy`.
    pub hash_wait: Duration,
    /// Requests handled at once; past it a request is answered 503 `server_busy` at once
    /// rather than queued (`http::middleware::shed_load`).
    pub max_in_flight: usize,
    pub json_body_limit: usize,
    pub upload_limit: usize,
    /// How long a checked import file waits for its import before it is removed
    /// (`service::imports::previews`).
    pub import_preview_ttl: Duration,
    /// Files with more rows than this are imported in the background, their progress shown
    /// live (`service::imports::progress`); smaller ones within the request.
    pub import_background_rows: usize,
    pub db_max_connections: u32,
    /// Public inquiries accepted per IP per hour.
    pub inquiry_limit_per_hour: i64,
    /// `smtp://` or `smtps://` URL of the mail server; `None` writes mail to the outbox.
    pub smtp_url: Option<String>,
    /// How often the mail worker looks for mail that is due.
    pub mail_poll_interval: Duration,
    /// The wait after a failed send; it doubles with each further failure, up to a day.
    pub mail_retry_base: Duration,
    /// How often the office gets one email listing the documents uploaded since the last;
    /// zero emails each upload at once.
    pub upload_digest: Duration,
    /// How often the reminder sweep runs (upload digests, documents lapsing during a
    /// placement, the 14-day notice to schools); `None` never (tests run it by hand).
    pub reminder_interval: Option<Duration>,
    /// How long a POST waits for another request with its `Idempotency-Key` (or form key) to
    /// finish before it answers 409 `idempotency_key_in_use`.
    pub idempotency_wait: Duration,
    /// Sign-in through the hospital's OpenID Connect provider; `None`: passwords only.
    pub oidc: Option<OidcConfig>,
}

/// The identity provider (OpenID Connect Core 1.0, authorization code flow with PKCE): where it
/// is, who Practicum is to it, and which of its claims gives a Practicum role.
#[derive(Clone)]
pub struct OidcConfig {
    /// The issuer URL; `<issuer>/.well-known/openid-configuration` describes the provider.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Practicum's callback as registered with the provider: `<public address>/login/sso/callback`.
    pub redirect_url: String,
    /// The ID token claim that carries the person's groups or roles (a string or a list).
    pub role_claim: String,
    pub role_map: crate::domain::sso::RoleMap,
    /// The provider's name on the sign-in button ("Sign in with ...").
    pub provider_name: String,
}

/// The client secret never reaches a log.
impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<hidden>"),
            )
            .field("redirect_url", &self.redirect_url)
            .field("role_claim", &self.role_claim)
            .field("role_map", &self.role_map)
            .field("provider_name", &self.provider_name)
            .finish()
    }
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Self {
        Config {
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir,
            database: None,
            demo: false,
            secure_cookies: false,
            public_origin: None,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 60 * 60),
            login_max_failures: 5,
            login_address_max_failures: 100,
            login_base_delay: Duration::from_secs(1),
            login_decay: Duration::from_secs(15 * 60),
            trusted_proxies: Vec::new(),
            hash_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            hash_wait: Duration::from_secs(5),
            max_in_flight: 512,
            json_body_limit: 1024 * 1024,
            upload_limit: 10 * 1024 * 1024,
            import_preview_ttl: Duration::from_secs(24 * 60 * 60),
            import_background_rows: 1000,
            db_max_connections: 10,
            inquiry_limit_per_hour: 5,
            smtp_url: None,
            mail_poll_interval: Duration::from_secs(2),
            mail_retry_base: Duration::from_secs(60),
            upload_digest: Duration::from_secs(60 * 60),
            reminder_interval: Some(Duration::from_secs(5 * 60)),
            idempotency_wait: Duration::from_secs(30),
            oidc: None,
        }
    }

    pub fn database_url(&self) -> String {
        match &self.database {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("practicum.db").display()),
        }
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// The first public base URL of a new database opened without a server (`migrate`,
    /// `seed-demo`, `user create`): `public_origin`, or `http://` and `addr`. E-mailed links
    /// then start with the `public_base_url` setting, never with this.
    pub fn origin(&self) -> String {
        self.public_origin
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }
}
