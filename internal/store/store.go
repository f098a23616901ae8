// Package store is facet's S3-compatible object store: where `facet
// publish` writes generations and where `facet gateway --from` reads them.
// It owns the store's layout (the keys below PREFIX, the pointer and the
// per-build indexes; docs/CONTRACT.md "Object store layout") and the
// client settings (endpoint, region, credentials from the standard AWS
// environment variables and config/site.toml's [publish] table). It does
// not decide what to publish (internal/publish) nor serve anything
// (gateway).
//
// The client is minio-go (Apache-2.0): it speaks S3 to every compatible
// store (AWS, R2, GCS's interface, Ceph, SeaweedFS, MinIO), takes path-
// style or virtual-host addressing, signs V4, reads AWS credentials from
// the environment or instance metadata, and brings a fraction of the
// dependencies of aws-sdk-go-v2's S3 service, whose wider surface facet
// does not use (facet needs GET, PUT, HEAD, LIST and DELETE).
package store

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Location is a bucket and a key prefix, parsed from s3://BUCKET/PREFIX.
type Location struct {
	Bucket string
	// Prefix is "" or ends in "/".
	Prefix string
}

// ParseLocation parses s3://BUCKET or s3://BUCKET/PREFIX.
func ParseLocation(raw string) (Location, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Location{}, fmt.Errorf("store: %q is not an s3://BUCKET/PREFIX address", raw)
	}
	p := strings.Trim(u.Path, "/")
	for seg := range strings.SplitSeq(p, "/") {
		if p != "" && (seg == "" || seg == "." || seg == "..") {
			return Location{}, fmt.Errorf("store: %q: the prefix has an empty, . or .. segment", raw)
		}
	}
	if p != "" {
		p += "/"
	}
	return Location{Bucket: u.Host, Prefix: p}, nil
}

// String is the location as an s3:// address.
func (l Location) String() string { return "s3://" + l.Bucket + "/" + l.Prefix }

// Settings say how to reach the store. Secrets come only from the
// environment (Env).
type Settings struct {
	// Endpoint is the store's URL (https://s3.example.com); default AWS S3
	// of Region.
	Endpoint string
	// Region is the bucket's region; default "us-east-1".
	Region string
	// PathStyle addresses buckets as ENDPOINT/BUCKET rather than as
	// BUCKET.ENDPOINT; most stores other than AWS want it. Default false.
	PathStyle bool
	// AccessKey, SecretKey and SessionToken are the credentials; empty
	// access key: instance or container credentials (IAM).
	AccessKey, SecretKey, SessionToken string
}

// FromEnv completes s from the standard environment variables, which take
// precedence over what the file said: AWS_ENDPOINT_URL_S3 or
// AWS_ENDPOINT_URL, AWS_REGION or AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
func (s Settings) FromEnv(getenv func(string) string) Settings {
	if v := first(getenv("AWS_ENDPOINT_URL_S3"), getenv("AWS_ENDPOINT_URL")); v != "" {
		s.Endpoint = v
	}
	if v := first(getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION")); v != "" {
		s.Region = v
	}
	s.AccessKey, s.SecretKey = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	s.SessionToken = getenv("AWS_SESSION_TOKEN")
	return s
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// Store is one location in an object store.
type Store struct {
	c   *minio.Client
	loc Location
}

// Open returns a client for loc. It does not contact the store.
func Open(s Settings, loc Location) (*Store, error) {
	region := first(s.Region, "us-east-1")
	host, secure := "s3."+region+".amazonaws.com", true
	if s.Endpoint != "" {
		u, err := url.Parse(s.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("store: endpoint %q is not an http(s)://HOST[:PORT] URL", s.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	creds := credentials.NewIAM("")
	if s.AccessKey != "" {
		creds = credentials.NewStaticV4(s.AccessKey, s.SecretKey, s.SessionToken)
	}
	lookup := minio.BucketLookupAuto
	if s.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(host, &minio.Options{Creds: creds, Secure: secure, Region: region, BucketLookup: lookup})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Store{c: c, loc: loc}, nil
}

// Location is where the store reads and writes.
func (s *Store) Location() Location { return s.loc }

// ErrNotFound is returned for a key the store does not hold; it wraps
// fs.ErrNotExist, as a missing file on disk does.
var ErrNotFound = fmt.Errorf("store: no such object (%w)", fs.ErrNotExist)

// maxSmall bounds Get: pointers, indexes, manifests.
const maxSmall = 256 << 20

// Get reads the object at key (below the prefix), which must be small.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	r, err := s.Reader(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, maxSmall+1))
	if err != nil {
		return nil, s.wrap(key, err)
	}
	if len(b) > maxSmall {
		return nil, fmt.Errorf("store: %s: larger than %d bytes", key, maxSmall)
	}
	return b, nil
}

// Reader opens the object at key for reading.
func (s *Store) Reader(ctx context.Context, key string) (io.ReadCloser, error) {
	o, err := s.c.GetObject(ctx, s.loc.Bucket, s.loc.Prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.wrap(key, err)
	}
	// GetObject is lazy: Stat makes the request and reports a missing key.
	if _, err := o.Stat(); err != nil {
		o.Close()
		return nil, s.wrap(key, err)
	}
	return o, nil
}

// Put writes the object at key with its content type.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, ctype string) error {
	opts := minio.PutObjectOptions{ContentType: ctype, DisableMultipart: size >= 0 && size < 64<<20}
	if _, err := s.c.PutObject(ctx, s.loc.Bucket, s.loc.Prefix+key, r, size, opts); err != nil {
		return s.wrap(key, err)
	}
	return nil
}

// PutBytes writes b at key.
func (s *Store) PutBytes(ctx context.Context, key string, b []byte, ctype string) error {
	return s.Put(ctx, key, bytes.NewReader(b), int64(len(b)), ctype)
}

// Object is one listed object.
type Object struct {
	// Key is below the location's prefix.
	Key  string
	Size int64
	// Modified is when it was last written (Unix seconds).
	Modified int64
}

// List returns every object whose key starts with prefix (below the
// location's prefix).
func (s *Store) List(ctx context.Context, prefix string) ([]Object, error) {
	var out []Object
	for o := range s.c.ListObjects(ctx, s.loc.Bucket, minio.ListObjectsOptions{Prefix: s.loc.Prefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, s.wrap(prefix, o.Err)
		}
		out = append(out, Object{Key: strings.TrimPrefix(o.Key, s.loc.Prefix), Size: o.Size, Modified: o.LastModified.Unix()})
	}
	return out, nil
}

// Remove deletes the objects at keys; a missing key is not an error.
func (s *Store) Remove(ctx context.Context, keys []string) error {
	ch := make(chan minio.ObjectInfo, len(keys))
	for _, k := range keys {
		ch <- minio.ObjectInfo{Key: s.loc.Prefix + k}
	}
	close(ch)
	for e := range s.c.RemoveObjects(ctx, s.loc.Bucket, ch, minio.RemoveObjectsOptions{}) {
		if e.Err != nil && minio.ToErrorResponse(e.Err).Code != minio.NoSuchKey {
			return s.wrap(strings.TrimPrefix(e.ObjectName, s.loc.Prefix), e.Err)
		}
	}
	return nil
}

// MakeBucket creates the location's bucket (tests and first setups).
func (s *Store) MakeBucket(ctx context.Context, region string) error {
	if err := s.c.MakeBucket(ctx, s.loc.Bucket, minio.MakeBucketOptions{Region: region}); err != nil {
		return fmt.Errorf("store: make bucket %s: %w", s.loc.Bucket, err)
	}
	return nil
}

// wrap names the key and turns a missing key into ErrNotFound.
func (s *Store) wrap(key string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case minio.NoSuchKey, "NotFound":
		return fmt.Errorf("store: %s%s: %w", s.loc, key, ErrNotFound)
	}
	return fmt.Errorf("store: %s%s: %w", s.loc, key, err)
}
