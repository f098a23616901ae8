package render

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// skeletonKey is the memo's key of a content page's skeleton: the theme
// and the site's settings (siteID), then every exported field of d but
// Site (which siteID covers), encoded by appendValue. What a layout
// prints is a function of these: its dot, the theme's templates and
// assets (InlineCSS, PagePartial) and markers filled in later.
func (r *Renderer) skeletonKey(d *Data) [2]uint64 { return r.dataKey("", d) }

// dataKey is the memo's key of what template name ("" for a layout)
// prints with d as its dot: siteID, the name, then every exported field
// of d but Site.
func (r *Renderer) dataKey(name string, d *Data) [2]uint64 {
	b := append(make([]byte, 0, 1024), r.siteID[:]...)
	if name != "" {
		// 0xfe: never the first byte of a field's index
		b = appendString(append(b, 0xfe), name)
	}
	v := reflect.ValueOf(d).Elem()
	t := v.Type()
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && f.Name != "Site" {
			b = binary.AppendUvarint(b, uint64(i))
			b = appendValue(b, v.Field(i))
		}
	}
	return r.memo.hash(b)
}

// siteIDOf fingerprints what every layout sees besides its own page: the
// theme's files and the site's settings.
func siteIDOf(th *themeSet, site *Site) [32]byte {
	h := sha256.New()
	h.Write(th.fp[:])
	h.Write(appendValue(nil, reflect.ValueOf(site).Elem()))
	return [32]byte(h.Sum(nil))
}

// appendValue appends an encoding of v's exported content in which two
// different values never encode alike: strings and lists carry their
// length, maps their keys in order, structs their exported fields by
// index, interfaces their dynamic type. Nil and empty lists and maps
// encode alike (templates range over and test them alike). A kind a Data
// never holds (a func, a channel) panics.
func appendValue(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.String:
		return appendString(b, v.String())
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1)
		}
		return append(b, 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return binary.AppendUvarint(b, v.Uint())
	case reflect.Float32, reflect.Float64:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float()))
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return appendString(b, string(v.Bytes()))
		}
		b = binary.AppendUvarint(b, uint64(v.Len()))
		for i := range v.Len() {
			b = appendValue(b, v.Index(i))
		}
		return b
	case reflect.Map:
		keys := v.MapKeys()
		enc := make([]string, len(keys))
		for i, k := range keys {
			enc[i] = string(appendValue(appendValue(nil, k), v.MapIndex(k)))
		}
		slices.Sort(enc)
		b = binary.AppendUvarint(b, uint64(len(enc)))
		return append(b, strings.Join(enc, "")...)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				b = binary.AppendUvarint(b, uint64(i))
				b = appendValue(b, v.Field(i))
			}
		}
		return append(b, 0xff)
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0)
		}
		return appendValue(append(b, 1), v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return append(b, 0)
		}
		// the dynamic type first: false, 0 and "" print apart
		e := v.Elem()
		b = appendString(appendString(append(b, 1), e.Type().PkgPath()), e.Type().String())
		return appendValue(b, e)
	}
	panic(fmt.Sprintf("render: no key for a %s", v.Type()))
}

// appendString appends s with its length.
func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}
