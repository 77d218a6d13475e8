package conv

import (
	"github.com/akash-market/akash/core/market"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// Proto IDs and core IDs carry the same fields; these only move them. Address
// checks belong to ValidateBasic, which runs before any ID reaches a keeper.

// DeploymentID converts a proto DeploymentID to the core one.
func DeploymentID(p dtypes.DeploymentID) market.DeploymentID {
	return market.DeploymentID{Owner: p.Owner, DSeq: p.Dseq}
}

// ProtoDeploymentID converts a core DeploymentID to the proto one.
func ProtoDeploymentID(id market.DeploymentID) dtypes.DeploymentID {
	return dtypes.DeploymentID{Owner: id.Owner, Dseq: id.DSeq}
}

// GroupID converts a proto GroupID to the core one.
func GroupID(p dtypes.GroupID) market.GroupID {
	return market.GroupID{DeploymentID: market.DeploymentID{Owner: p.Owner, DSeq: p.Dseq}, GSeq: p.Gseq}
}

// ProtoGroupID converts a core GroupID to the proto one.
func ProtoGroupID(id market.GroupID) dtypes.GroupID {
	return dtypes.GroupID{Owner: id.Owner, Dseq: id.DSeq, Gseq: id.GSeq}
}
