package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// diagram draws a small box-and-arrow picture in colours from the random
// source and encodes it as PNG. image/png's encoder is deterministic, so
// the same draws give the same bytes.
func diagram(w words) ([]byte, error) {
	const width, height = 96, 64
	img := image.NewPaletted(image.Rect(0, 0, width, height), color.Palette{
		color.RGBA{0xff, 0xff, 0xff, 0xff},
		color.RGBA{0x33, 0x33, 0x33, 0xff},
		color.RGBA{uint8(w.r.IntN(200)), uint8(w.r.IntN(200)), uint8(55 + w.r.IntN(200)), 0xff},
		color.RGBA{uint8(55 + w.r.IntN(200)), uint8(w.r.IntN(200)), uint8(w.r.IntN(200)), 0xff},
	})
	boxes := w.between(2, 3)
	bw := width / (2*boxes - 1)
	top := w.between(8, 24)
	for i := range boxes {
		x0 := i * 2 * bw
		fill := uint8(2 + i%2)
		for y := top; y < top+24; y++ {
			for x := x0; x < x0+bw; x++ {
				c := fill
				if y == top || y == top+23 || x == x0 || x == x0+bw-1 {
					c = 1
				}
				img.SetColorIndex(x, y, c)
			}
		}
		if i+1 < boxes {
			for x := x0 + bw; x < x0+2*bw; x++ {
				img.SetColorIndex(x, top+12, 1)
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("diagram: %w", err)
	}
	return b.Bytes(), nil
}
