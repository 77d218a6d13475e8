package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	v1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
)

// TallyFn is x/gov's vote tally with provider stake added: the validators'
// (staking) power is counted by the SDK's default tally, and every provider
// that voted adds its bonded stake (in the stake denom, the same token unit
// as staking power when params.stake_denom is the bond denom) to the options
// it chose; all bonded provider stake joins the total power that quorum is
// measured against. So among providers, voting weight is stake share
// (StakeBook.Weight), and provider stake counts like delegated stake.
// x/gov v0.55 takes the function through its depinject inputs
// (CalculateVoteResultsAndVotingPowerFn).
func (k Keeper) TallyFn(sk govtypes.StakingKeeper) govkeeper.CalculateVoteResultsAndVotingPowerFn {
	staking := govkeeper.NewDefaultCalculateVoteResultsAndVotingPower(sk)
	return func(ctx context.Context, gk govkeeper.Keeper, proposal v1.Proposal) (math.LegacyDec, math.Int, map[v1.VoteOption]math.LegacyDec, error) {
		// Read the providers' votes first: the default tally deletes the votes.
		type providerVote struct {
			power   math.Int
			options v1.WeightedVoteOptions
		}
		var votes []providerVote
		rng := collections.NewPrefixedPairRange[uint64, sdk.AccAddress](proposal.Id)
		err := gk.Votes.Walk(ctx, rng, func(_ collections.Pair[uint64, sdk.AccAddress], v v1.Vote) (bool, error) {
			s, err := k.Stakes.Get(ctx, v.Voter)
			if errors.Is(err, collections.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return true, err
			}
			if s.Bonded.IsPositive() {
				votes = append(votes, providerVote{power: s.Bonded, options: v.Options})
			}
			return false, nil
		})
		if err != nil {
			return math.LegacyZeroDec(), math.ZeroInt(), nil, err
		}
		voted, total, results, err := staking(ctx, gk, proposal)
		if err != nil {
			return voted, total, results, err
		}
		for _, v := range votes {
			power := math.LegacyNewDecFromInt(v.power)
			for _, o := range v.options {
				w, err := math.LegacyNewDecFromStr(o.Weight)
				if err != nil {
					return math.LegacyZeroDec(), math.ZeroInt(), nil, err
				}
				results[o.Option] = results[o.Option].Add(power.Mul(w))
			}
			voted = voted.Add(power)
		}
		bonded, err := k.totalBonded(ctx)
		if err != nil {
			return math.LegacyZeroDec(), math.ZeroInt(), nil, err
		}
		return voted, total.Add(bonded), results, nil
	}
}
