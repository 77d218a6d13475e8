// Package overlay decides which workload-to-workload connections of a
// deployment cross providers and names each of them, so that the two providers
// can issue tunnel certificates for it (package tunnelcert) and carry it over a
// mutual-TLS tunnel (package tunnel).
//
// A deployment's manifest says who may talk to whom (manifest.Topology); the
// market says which provider runs which service (a Placement). Plan joins the
// two: every allowed connection whose ends sit at different providers becomes a
// Link, and nothing else does. A pair the topology does not allow gets no Link,
// hence no certificate, no listener and no route.
//
// This package is pure: no IO, no clock.
package overlay
