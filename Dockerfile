# Multi-stage build: cgo is needed for SQLite (mattn/go-sqlite3); Olm is
# the pure-Go implementation (goolm), so no libolm.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -tags goolm -trimpath -ldflags "-s -w" -o /out/bluehats-bot ./cmd/bluehats-bot

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data --uid 10001 bluehats \
    && mkdir -p /data && chown bluehats /data
COPY --from=build /out/bluehats-bot /usr/local/bin/bluehats-bot
USER bluehats
WORKDIR /data
VOLUME ["/data"]
# Metrics and health, when http.listen is set to 0.0.0.0:9105.
EXPOSE 9105
ENTRYPOINT ["/usr/local/bin/bluehats-bot"]
CMD ["-config", "/data/config.yaml"]
