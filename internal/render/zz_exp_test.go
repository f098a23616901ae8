package render

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/facet-docs/facet/themes"
)

func benchWith(b *testing.B, page string) {
	tree := benchTree(1000)
	over := fstest.MapFS{"layouts/page.html": {Data: []byte(page)}}
	r, err := New(Site{Title: "Bench", BaseURL: "https://docs.example.com/"}, Layer(over, themes.Default), tree)
	if err != nil {
		b.Fatal(err)
	}
	build := &Build{Dir: "anonymous", ID: "anonymous", Kind: "anonymous", Label: "Public", Present: presentExcept(tree)}
	bodies := newBenchBodies()
	emit := func(_ string, data []byte) error { return nil }
	start := cpuTime()
	for b.Loop() {
		if err := r.Render(context.Background(), build, bodies, emit); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tree.Pages)), "ns/page")
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N)/float64(len(tree.Pages)), "cpu-ns/page")
}

func BenchmarkExpMin(b *testing.B)  { benchWith(b, `{{.Sidebar}}{{.Body}}`) }
func BenchmarkExpHead(b *testing.B) { benchWith(b, `{{template "partials/head.html" .}}{{.Sidebar}}{{.Body}}`) }
func BenchmarkExpTOC(b *testing.B)  { benchWith(b, `{{template "partials/toc.html" .}}{{.Sidebar}}{{.Body}}`) }
func BenchmarkExpHeader(b *testing.B)  { benchWith(b, `{{template "partials/header.html" .}}{{.Sidebar}}{{.Body}}`) }
