package runtime

import "fmt"

// ActionKind is what the driver did to one object.
type ActionKind string

const (
	ActAdopt   ActionKind = "adopt"   // found running as wanted; left alone
	ActCreate  ActionKind = "create"  // was missing; created (and started)
	ActStart   ActionKind = "start"   // existed stopped; started again
	ActReplace ActionKind = "replace" // existed with another manifest version or dead; removed and created
	ActRemove  ActionKind = "remove"  // no wanted lease owns it, or the lease was torn down
)

// Object kinds in an Action.
const (
	ObjContainer = "container"
	ObjNetwork   = "network"
	ObjVolume    = "volume"
)

// Action is one thing Deploy, Teardown or Reconcile did, for logs and metrics.
type Action struct {
	Kind   ActionKind
	Object string // ObjContainer, ObjNetwork or ObjVolume
	Name   string // the Docker object's name
	Lease  string // LeaseRef.String()
	Reason string // why, in words
}

func (a Action) String() string {
	return fmt.Sprintf("%s %s %s (lease %s): %s", a.Kind, a.Object, a.Name, a.Lease, a.Reason)
}

// Actions is a list of actions with counting helpers.
type Actions []Action

// Count returns how many actions are of kind on object ("" matches any object).
func (as Actions) Count(kind ActionKind, object string) int {
	n := 0
	for _, a := range as {
		if a.Kind == kind && (object == "" || a.Object == object) {
			n++
		}
	}
	return n
}
