//! The ceiling for the server benchmark (bench/server.sh): a hello-world axum server that
//! answers every GET with the same JSON list, read once from a file (a real page of the
//! students list, so the body is the same size), serialized on every request as a handler's
//! `Json` would be.
//!
//! `cargo run --release --example bench_hello -- 127.0.0.1:18081 /tmp/page.json`
use axum::{Json, Router, extract::State, routing::get};
use std::sync::Arc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [addr, file] = args.as_slice() else {
        anyhow::bail!("usage: bench_hello ADDR JSON_FILE");
    };
    let body: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file)?)?;
    let body = Arc::new(body);
    let app = Router::new()
        .fallback(get(|State(b): State<Arc<serde_json::Value>>| async move {
            Json(b)
        }))
        .with_state(body);
    let listener = tokio::net::TcpListener::bind(addr.as_str()).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
