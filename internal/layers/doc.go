// Package layers holds no code: its test checks that facet's packages
// depend on each other only in the directions ARCHITECTURE.md allows, so a
// stray import (the gateway reaching into the generator, the access engine
// growing a dependency) fails the build of the test suite.
package layers
