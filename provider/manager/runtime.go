package manager

import (
	"context"
	"io"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/runtime"
)

// Runtime is what the daemon needs from the container driver;
// *runtime.Docker implements it.
type Runtime interface {
	Deploy(ctx context.Context, spec runtime.LeaseSpec) (runtime.Actions, error)
	Status(ctx context.Context, lease runtime.LeaseRef) (runtime.Status, error)
	Logs(ctx context.Context, lease runtime.LeaseRef, opt runtime.LogOptions) (io.ReadCloser, error)
	Teardown(ctx context.Context, lease runtime.LeaseRef) (runtime.Actions, error)
	Reconcile(ctx context.Context, want []runtime.LeaseSpec) (runtime.Actions, error)
	// Check tells, changing nothing, whether spec could run; errors
	// wrapping runtime.ErrUnrunnable are the manifest's fault.
	Check(ctx context.Context, spec runtime.LeaseSpec) error
}

var _ Runtime = (*runtime.Docker)(nil)

// ref converts a chain lease ID to the runtime's copy of it.
func ref(id market.LeaseID) runtime.LeaseRef {
	return runtime.LeaseRef{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq, Provider: id.Provider}
}
