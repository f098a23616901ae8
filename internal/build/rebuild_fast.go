package build

import "context"

// fastRebuild is Rebuild's path for body edits; ok is false when the
// change needs the general path.
func (b *Builder) fastRebuild(ctx context.Context, changed []string) (res *Result, ok bool, err error) {
	return nil, false, nil
}
