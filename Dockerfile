# Builds signpost into a small image: one static binary, run as an
# unprivileged user, with its health check reading HTTP_ADDR.
#   docker build --build-arg VERSION=1.0.0 --build-arg COMMIT=$(git rev-parse --short HEAD) \
#     --build-arg BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t signpost .
FROM golang:1.26.8-alpine AS build
ARG VERSION=dev
ARG COMMIT=unknown
ARG BUILD_DATE=unknown
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# cmd/signpost's tests build the binary with exactly this line.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.buildDate=${BUILD_DATE}" -o /out/signpost ./cmd/signpost

FROM alpine:3.22
RUN apk add --no-cache ca-certificates tzdata && adduser -D -H -u 10001 signpost
COPY --from=build /out/signpost /usr/local/bin/signpost
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD ["signpost", "healthcheck"]
ENTRYPOINT ["signpost"]
CMD ["serve"]
