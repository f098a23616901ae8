package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/facet-docs/facet/internal/s3test"
	"github.com/facet-docs/facet/internal/store"
)

func TestMain(m *testing.M) { os.Exit(s3test.Main(m)) }

func TestParseLocation(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]store.Location{
		"s3://docs":          {Bucket: "docs"},
		"s3://docs/":         {Bucket: "docs"},
		"s3://docs/site":     {Bucket: "docs", Prefix: "site/"},
		"s3://docs/a/b/":     {Bucket: "docs", Prefix: "a/b/"},
		"s3://docs.example/": {Bucket: "docs.example"},
	} {
		got, err := store.ParseLocation(raw)
		if err != nil || got != want {
			t.Errorf("ParseLocation(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{"docs/site", "https://docs/site", "s3:///site", "s3://docs/a//b", "s3://docs/../x", "s3://u@docs/x", "s3://docs/x?y"} {
		if _, err := store.ParseLocation(raw); err == nil {
			t.Errorf("ParseLocation(%q) accepted", raw)
		}
	}
}

func TestSettingsFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"AWS_ENDPOINT_URL": "http://general:1", "AWS_ENDPOINT_URL_S3": "http://s3:2",
		"AWS_DEFAULT_REGION": "eu-north-1", "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"}
	got := store.Settings{Endpoint: "http://file:3", Region: "file-region", PathStyle: true}.FromEnv(func(k string) string { return env[k] })
	want := store.Settings{Endpoint: "http://s3:2", Region: "eu-north-1", PathStyle: true, AccessKey: "id", SecretKey: "secret"}
	if got != want {
		t.Errorf("FromEnv = %+v, want %+v", got, want)
	}
	kept := store.Settings{Endpoint: "http://file:3", Region: "file-region"}.FromEnv(func(string) string { return "" })
	if kept.Endpoint != "http://file:3" || kept.Region != "file-region" {
		t.Errorf("without variables the file's settings are lost: %+v", kept)
	}
}

// TestStoreRoundTrip runs every operation facet uses against a real
// S3-compatible server.
func TestStoreRoundTrip(t *testing.T) {
	st := s3test.Shared(t).Bucket(t, "p")
	ctx := context.Background()
	if _, err := st.Get(ctx, "missing"); !errors.Is(err, store.ErrNotFound) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing key: %v, want ErrNotFound wrapping fs.ErrNotExist", err)
	}
	for _, k := range []string{"a/1", "a/2", "b/3"} {
		if err := st.PutBytes(ctx, k, []byte("body of "+k), "text/plain"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.Get(ctx, "a/2")
	if err != nil || string(got) != "body of a/2" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	listed, err := st.List(ctx, "a/")
	if err != nil || len(listed) != 2 || listed[0].Key != "a/1" || listed[1].Key != "a/2" || listed[0].Size != int64(len("body of a/1")) {
		t.Fatalf("List(a/) = %+v, %v", listed, err)
	}
	if err := st.Remove(ctx, []string{"a/1", "a/never"}); err != nil {
		t.Fatal(err)
	}
	if listed, _ := st.List(ctx, ""); len(listed) != 2 {
		t.Errorf("after removing a/1: %+v", listed)
	}
	if _, err := st.ReadPointer(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no pointer yet: %v", err)
	}
	if err := st.PutBytes(ctx, store.PointerKey, []byte(`{"format":1,"generation":"../x"}`), "application/json"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReadPointer(ctx); err == nil {
		t.Error("a pointer to generation ../x was read")
	}
}

func TestWrongCredentialsRefused(t *testing.T) {
	srv := s3test.Shared(t)
	srv.Bucket(t, "")
	s := srv.Settings()
	s.SecretKey = "not-the-secret"
	st, err := store.Open(s, store.Location{Bucket: "anything"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutBytes(context.Background(), "x", []byte("x"), "text/plain"); err == nil {
		t.Error("a write with a wrong secret key succeeded")
	}
}
