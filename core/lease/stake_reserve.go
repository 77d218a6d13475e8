package lease

// Reserve sizes the book, before a run, for providers stakes: the look-up
// table, the first-bond order and the stake records, each with room for
// unbonding entries. A run that stays within that allocates nothing to bond
// a new provider or to unbond; past it the book grows as before. It changes
// no rule and no result: records are blank until their first bond.
func (b *StakeBook) Reserve(providers, unbonding int) {
	if providers <= len(b.stakes) {
		return
	}
	if len(b.stakes) == 0 {
		b.stakes = make(map[string]*Stake, providers)
	}
	b.order = append(make([]string, 0, providers), b.order...)
	m := providers - len(b.stakes)
	b.spare = make([]Stake, m)
	if unbonding > 0 {
		arr := make([]Unbonding, m*unbonding)
		for i := range b.spare {
			b.spare[i].Unbonding = arr[i*unbonding : i*unbonding : (i+1)*unbonding]
		}
	}
}

// newStake is a blank stake record for provider: a reserved one while they
// last.
func (b *StakeBook) newStake(provider string) *Stake {
	if len(b.spare) == 0 {
		return &Stake{Provider: provider}
	}
	s := &b.spare[0]
	b.spare = b.spare[1:]
	s.Provider = provider
	return s
}
