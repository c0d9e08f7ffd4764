//! Outgoing mail. Without an SMTP server configured, messages are written as `.eml` files to
//! the data directory's outbox, so nothing is lost in a demo. Mail is not sent from handlers:
//! they enqueue it (`jobs::mail::enqueue`) and the worker delivers it through a `Mailer`.
use lettre::{
    AsyncSmtpTransport, AsyncTransport, FileTransport, Message, Tokio1Executor, Transport,
    message::header::ContentType,
};
use std::path::{Path, PathBuf};

/// Where the worker delivers mail.
#[derive(Clone)]
pub enum Mailer {
    /// `.eml` files in this directory.
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    /// SMTP when `smtp_url` is set (`smtp://user:pass@host:587?tls=required`, `smtps://...`),
    /// otherwise the outbox.
    pub fn new(smtp_url: Option<&str>, outbox: &Path) -> anyhow::Result<Mailer> {
        Ok(match smtp_url {
            Some(url) => Mailer::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build()),
            None => Mailer::Outbox(outbox.to_path_buf()),
        })
    }

    pub async fn send(
        &self,
        to_name: &str,
        to_email: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let msg = message(to_name, to_email, subject, body)?;
        match self {
            Mailer::Outbox(dir) => {
                let dir = dir.clone();
                // Written beside the outbox, then moved in: a reader never sees half a file.
                tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
                    let partial = dir.with_extension("partial");
                    std::fs::create_dir_all(&dir)?;
                    std::fs::create_dir_all(&partial)?;
                    let id = FileTransport::new(&partial).send(&msg)?;
                    let name = format!("{id}.eml");
                    std::fs::rename(partial.join(&name), dir.join(&name))?;
                    Ok(())
                })
                .await??;
            }
            Mailer::Smtp(t) => {
                t.send(msg).await?;
            }
        }
        Ok(())
    }
}

fn message(to_name: &str, to_email: &str, subject: &str, body: &str) -> anyhow::Result<Message> {
    let to = format!(
        "{} <{}>",
        to_name.replace(['<', '>', '"', ','], ""),
        to_email
    );
    Ok(Message::builder()
        .from("Practicum <no-reply@practicum.invalid>".parse()?)
        .to(to.parse()?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())?)
}
