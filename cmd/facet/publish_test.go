package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/facet-docs/facet/internal/s3test"
)

// TestPublishScripts runs the scripts of testdata/publish against a real
// S3-compatible server, each in a bucket of its own.
func TestPublishScripts(t *testing.T) {
	srv := s3test.Start(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/publish",
		Setup: func(env *testscript.Env) error {
			st := srv.Bucket(t, "")
			for _, kv := range srv.Env() {
				env.Vars = append(env.Vars, kv)
			}
			env.Setenv("BUCKET", "s3://"+st.Location().Bucket)
			return nil
		},
	})
}
