// Package types holds the deployment module's state and messages: deployments
// (DeploymentID, Deployment and its manifest version), groups and their specs
// (Group, GroupSpec, ResourceUnit, PlacementRequirements), params, genesis,
// errors, conversions to core's types, and the query and msg services
// generated from proto/. (The generated gateway file's "reverse proxy"
// comment is about its HTTP handlers only.)
package types
