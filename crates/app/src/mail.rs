//! Outgoing mail. Without an SMTP server configured, messages are written as `.eml` files to
//! the data directory's outbox, so nothing is lost in a demo.
use lettre::{FileTransport, Message, Transport, message::header::ContentType};
use std::path::Path;

pub fn write_to_outbox(
    outbox: &Path,
    to_name: &str,
    to_email: &str,
    subject: &str,
    body: &str,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(outbox)?;
    let to = format!(
        "{} <{}>",
        to_name.replace(['<', '>', '"', ','], ""),
        to_email
    );
    let msg = Message::builder()
        .from("Practicum <no-reply@practicum.invalid>".parse()?)
        .to(to.parse()?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())?;
    FileTransport::new(outbox).send(&msg)?;
    Ok(())
}
