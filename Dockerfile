# syntax=docker/dockerfile:1
# Practicum in a container: build the release binary, run it as a non-root user with the data
# directory (SQLite database, uploaded files, mail outbox) on a volume.
#   docker build -t practicum .
#   docker run -p 8080:8080 -v practicum-data:/var/lib/practicum practicum
# First administrator:
#   docker run --rm -v practicum-data:/var/lib/practicum practicum user create \
#     --email it@hospital.example --name "IT Admin" --role admin --password '...'

ARG RUST_VERSION=1
FROM rust:${RUST_VERSION}-slim-bookworm AS build
WORKDIR /src
# The workspace: both crates, the lock file and the profiles (release: thin LTO). Migrations,
# templates and static files are compiled into the binary.
COPY Cargo.toml Cargo.lock ./
# Build settings (SQLite compile flags) live in .cargo/config.toml.
COPY .cargo ./.cargo
COPY crates ./crates
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p practicum \
    && cp target/release/practicum /usr/local/bin/practicum

FROM debian:bookworm-slim AS runtime
# ca-certificates: SMTP over TLS; curl: the health check; postgresql-client: pg_dump and
# pg_restore for `practicum backup`/`restore` on PostgreSQL (bookworm ships 15).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/practicum \
       --shell /usr/sbin/nologin practicum \
    && mkdir -p /var/lib/practicum \
    && chown practicum:practicum /var/lib/practicum
COPY --from=build /usr/local/bin/practicum /usr/local/bin/practicum
USER practicum:practicum
ENV PRACTICUM_DATA_DIR=/var/lib/practicum \
    PRACTICUM_ADDR=0.0.0.0:8080 \
    PRACTICUM_LOG_FORMAT=json
VOLUME ["/var/lib/practicum"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/practicum"]
CMD ["serve"]
