//! Builds the server from a `Config`. `main` and the integration tests both come through here.
use crate::{clock::Clock, config::Config, db::Db, http, state::AppState};
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
};
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::{catch_panic::CatchPanicLayer, trace::TraceLayer};
use utoipa_swagger_ui::SwaggerUi;

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
    /// The mail worker; it stops when the server does (or when this is dropped).
    mail_worker: crate::jobs::mail::WorkerHandle,
    /// The periodic reminder sweep, if configured.
    reminders: Option<tokio::task::JoinHandle<()>>,
    /// The watch for other processes' writes (`db::watch`).
    write_watch: tokio::task::JoinHandle<()>,
}

/// Opens the database, migrates it and makes sure the catalog is there; the settings' public
/// base URL, if none was set yet, becomes the configured address (`Config::origin`).
pub async fn open(config: &Config) -> anyhow::Result<Db> {
    open_at(config, &config.origin()).await
}

/// [`open`], with `origin` as the first public base URL: a server's own address.
async fn open_at(config: &Config, origin: &str) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&config.data_dir)?;
    let db = Db::connect(&config.database_url(), config.db_max_connections).await?;
    db.migrate().await?;
    let mut tx = db.write().await?;
    crate::db::disciplines::seed_catalog(&mut tx).await?;
    crate::db::requirements::seed_catalog(&mut tx).await?;
    if crate::db::settings::fill_public_base_url(&mut tx, origin).await? {
        tracing::info!(%origin, "links in e-mails start with this address; the admin changes it under Settings");
    }
    tx.commit().await?;
    Ok(db)
}

/// Opens the database ([`open`]), binds the listener, sets the clock to the office's time zone,
/// and seeds the demo if asked and the database has no users yet. The first public base URL is
/// the address the server really listens on (the port chosen when `addr`'s is 0).
pub async fn build(config: Config, clock: Clock) -> anyhow::Result<Application> {
    let listener = TcpListener::bind(config.addr).await?;
    let origin = config
        .public_origin
        .clone()
        .unwrap_or(format!("http://{}", listener.local_addr()?));
    let db = open_at(&config, &origin).await?;
    let state = AppState::new(db, config, clock);
    crate::service::settings::load_time_zone(&state).await?;
    {
        // A run left `running` by a stopped server has nobody working on it.
        let mut tx = state.db.write().await?;
        crate::db::planning::mark_interrupted(&mut tx, state.clock.now()).await?;
        tx.commit().await?;
    }
    if state.config.demo {
        let mut tx = state.db.read().await?;
        let users = crate::db::users::count(&mut tx).await?;
        drop(tx);
        if users == 0 {
            crate::seed::seed_demo(&state).await?;
        }
    }
    let mail_worker = crate::jobs::mail::WorkerHandle::spawn(crate::jobs::mail::Worker {
        db: state.db.clone(),
        clock: state.clock.clone(),
        mailer: crate::mail::Mailer::new(
            state.config.smtp_url.as_deref(),
            &state.config.outbox_dir(),
        )?,
        poll: state.config.mail_poll_interval,
        retry_base: state.config.mail_retry_base,
    });
    let reminders = state
        .config
        .reminder_interval
        .map(|every| spawn_reminder_sweep(state.clone(), every));
    let write_watch = state.db.watch_other_writers();
    Ok(Application {
        listener,
        router: router(state.clone()),
        state,
        mail_worker,
        reminders,
        write_watch,
    })
}

/// Runs the reminder sweep (`jobs::reminders::run_once`) every `interval` until the server
/// stops, reading the office's time zone again first: it may have been changed through another
/// server on this database.
fn spawn_reminder_sweep(
    st: AppState,
    interval: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is immediate: a restarted server catches up at once.
        loop {
            tick.tick().await;
            if let Err(e) = crate::service::settings::load_time_zone(&st).await {
                tracing::warn!(error = %e, "the office's time zone could not be read");
            }
            if let Err(e) = crate::jobs::reminders::run_once(&st).await {
                tracing::warn!(error = %e, "reminder sweep failed; it runs again later");
            }
            crate::service::imports::previews::forget_stale(&st).await;
        }
    })
}

pub fn router(state: AppState) -> Router {
    let (api, mut openapi) = http::api::router().split_for_parts();
    http::idempotency::document(&mut openapi);
    http::api::problems::document(&mut openapi);
    Router::new()
        .merge(api)
        .merge(http::pages::router())
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .route("/healthz", axum::routing::get(http::health::healthz))
        .route("/readyz", axum::routing::get(http::health::readyz))
        .fallback(not_found)
        // Imports running in the background on this server, with their progress (held by the
        // router, not the state: it is the pages' concern, and the state sits below services).
        .layer(axum::Extension(
            crate::service::imports::progress::ImportRuns::default(),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::pages::in_layout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::idempotency::idempotency,
        ))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::middleware::shed_load,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            http::middleware::security_headers,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            http::error::AppError::Internal(anyhow::anyhow!("a handler panicked")).into_response()
        }))
        .layer(axum::middleware::from_fn(http::middleware::request_id))
        // Each extractor applies its own cap (JSON 1 MiB, uploads 10 MiB).
        .layer(DefaultBodyLimit::disable())
        // Its span names the method and the path without secrets (`loggable_path`); the
        // default one would log the whole URI, a live invitation link included.
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                tracing::debug_span!(
                    "http",
                    method = %req.method(),
                    path = %http::middleware::loggable_path(req.uri().path()),
                )
            }),
        )
}

async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        http::error::AppError::NotFound.into_response()
    } else {
        http::pages::not_found_page().into_response()
    }
}

impl Application {
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let res = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        if let Some(r) = self.reminders {
            r.abort();
        }
        self.write_watch.abort();
        self.mail_worker.stop().await;
        self.state.db.close().await;
        res
    }
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

pub fn status_page(status: StatusCode, body: String) -> Response {
    (status, axum::response::Html(body)).into_response()
}
