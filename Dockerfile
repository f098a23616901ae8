# facet as a static binary on a distroless base, run as a non-root user.
#   docker build -t facet .
#   docker run --rm -e FACET_COOKIE_SECRET -e FACET_CLIENT_SECRET -e AWS_ACCESS_KEY_ID \
#     -e AWS_SECRET_ACCESS_KEY -e AWS_ENDPOINT_URL_S3 -p 8080:8080 \
#     facet gateway --from s3://docs/site --listen 0.0.0.0:8080
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/facet ./cmd/facet

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/facet /usr/local/bin/facet
# The site folder holds config/gateway.toml (and config/site.toml's [publish]);
# mount it or copy it in a derived image.
WORKDIR /site
USER nonroot:nonroot
ENV XDG_CACHE_HOME=/tmp/cache
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/facet"]
CMD ["gateway", "--from", "s3://docs/site", "--listen", "0.0.0.0:8080"]
