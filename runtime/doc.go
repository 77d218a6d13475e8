// Package runtime runs a lease's services as containers on a Docker Engine.
//
// A provider that won a lease calls Deploy with the lease and its manifest;
// the driver creates the lease's networks, volumes and one container per
// service replica, all labelled with the lease (akash.lease and friends), so
// that Status, Logs, Teardown and Reconcile find them again by label alone,
// also after the provider restarts. Every verb is idempotent: a second Deploy
// of the same lease and manifest version adopts what runs and creates only
// what is missing.
//
// Networks (see docs/runtime.md for the full picture):
//   - an "edge" bridge network per lease that every container joins: it gives
//     egress and carries the published host ports of global exposes, with
//     inter-container traffic disabled (icc=false), so it connects nothing;
//   - an internal network per service S that some service may reach
//     (topology "to: service"): S's replicas join it with the alias S, and so
//     do the replicas of each service allowed to connect to S. Services that
//     the topology does not connect share no network. The overlay attaches a
//     tunnel end to ServiceNetwork(lease, S) when S or its client runs at
//     another provider. When the tunnel end listens on the bridge's gateway
//     (a daemon on the Docker host), Options.RemoteServiceHosts writes S with
//     that address into the hosts file of S's local clients.
//
// The package is tested on the real engine (see docker_test.go); nothing here
// is faked.
package runtime
