package runtime

import (
	"strconv"

	"github.com/docker/docker/api/types/filters"
)

// Labels the driver puts on every container, network and volume. Status,
// Logs, Teardown and Reconcile find a lease's objects by these alone, so a
// restarted provider needs no state of its own.
const (
	LabelLease    = "akash.lease"            // LeaseRef.String()
	LabelProvider = "akash.provider"         // the lease's provider, for operators' filters
	LabelService  = "akash.service"          // the service; "" on the lease's edge network
	LabelReplica  = "akash.replica"          // 0-based replica index; "" on networks
	LabelVersion  = "akash.manifest-version" // VersionHex of the manifest that created the object
	LabelCount    = "akash.count"            // containers: how many replicas the service wants
	LabelRole     = "akash.role"             // container, edge-network, service-network, volume
	LabelVolume   = "akash.volume"           // volumes: the manifest's volume name
	LabelKeep     = "akash.persistent"       // volumes: "true" survives container replacement
	LabelServices = "akash.services"         // edge network: wanted replicas, "api=2,web=1"
	LabelHosts    = "akash.hosts"            // containers: hosts entries for remote services, "db:172.20.0.1" (Options.RemoteServiceHosts); absent when none
)

// Object roles (LabelRole values).
const (
	roleContainer      = "container"
	roleEdgeNetwork    = "edge-network"
	roleServiceNetwork = "service-network"
	roleVolume         = "volume"
)

// Labels returns the labels an object of the lease must carry. The overlay
// puts them (with its own role) on the tunnel sidecars it attaches to a lease's
// networks, so that Teardown and Reconcile remove those too.
func Labels(lease LeaseRef, version, service string, replica int, role string) map[string]string {
	r := ""
	if replica >= 0 {
		r = strconv.Itoa(replica)
	}
	return map[string]string{
		LabelLease:    lease.String(),
		LabelProvider: lease.Provider,
		LabelService:  service,
		LabelReplica:  r,
		LabelVersion:  version,
		LabelRole:     role,
	}
}

// leaseFilter selects the objects of one lease.
func leaseFilter(lease LeaseRef) filters.Args {
	return filters.NewArgs(filters.Arg("label", LabelLease+"="+lease.String()))
}

// anyLeaseFilter selects every object the driver (of any provider) made.
func anyLeaseFilter() filters.Args {
	return filters.NewArgs(filters.Arg("label", LabelLease))
}
