package manage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/policy"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// ErrNoGrant: the tenant's grant is gone (revoked or expired); the manager stops.
var ErrNoGrant = errors.New("no management grant")

// Managed is one deployment the grant manages, as the chain has it now.
type Managed struct {
	DSeq    uint64
	Region  string // the region its group requires ("" none)
	Active  bool
	Leases  []market.LeaseID  // active leases
	Balance sdkmath.LegacyDec // escrow balance (in the deposit's denom)
}

// Leased: every group of it has a lease (one group per managed deployment).
func (m Managed) Leased() bool { return len(m.Leases) > 0 }

// Chain is what the manager reads and sends, as the management key. The
// production one talks to a node (chainclient); tests run the real app.
type Chain interface {
	Height(ctx context.Context) (int64, error)
	// Grant is the tenant's grant to the manager; nil when there is none
	// (never given, revoked, or expired).
	Grant(ctx context.Context) (*dtypes.ManageDeploymentsAuthorization, error)
	Deployment(ctx context.Context, dseq uint64) (Managed, error)
	// Exec sends msg through the grant (authz MsgExec) and waits for its block.
	Exec(ctx context.Context, msg *dtypes.MsgManageDeployment) error
}

// Step is one decision as it was applied: what the manager saw and did.
type Step struct {
	Height  int64
	Users   []int64  // delivery-network, in 1/policy.UserScale of a user
	Queue   int      // ml-batch
	Groups  []string // regions of the live groups before the decision ("" = any)
	Added   []string // a region per deployment created ("" = any)
	Removed []uint64 // dseqs closed
	// RemovedRegions are the regions of Removed, in the same order.
	RemovedRegions []string
	Forgot         []uint64 // dseqs the chain had closed (escrow ran dry), dropped from the grant
	TopUps         []uint64 // dseqs topped up
}

func (s Step) String() string {
	return fmt.Sprintf("height %d: groups %v, added %v, removed %v", s.Height, s.Groups, s.Added, s.Removed)
}

// Manager runs one policy for one tenant.
type Manager struct {
	Cfg      *Config
	Policy   string
	Owner    string // the tenant (granter)
	Chain    Chain
	Source   Source
	Manifest *manifest.Manifest // one group; its region is set per deployment
	// SDL is Manifest's source (file name, text): a deployment in a region
	// runs it placed there (PlaceIn). Nil: Manifest as written everywhere.
	SDLFile  string
	SDL      []byte
	Deposit  sdk.Coin
	TopBelow *sdkmath.LegacyDec // nil: no top-ups
	TopUp    sdk.Coin
	// SendManifest sends the manifest to a deployment's won providers (the
	// tenant client's code); nil skips it (tests of the decisions alone).
	SendManifest func(ctx context.Context, did market.DeploymentID, m *manifest.Manifest, leases []market.LeaseID) error
	Log          io.Writer

	mu     sync.Mutex
	last   Step
	grant  *dtypes.ManageDeploymentsAuthorization
	placed map[string]*manifest.Manifest // region -> SDL placed there
	sent   map[uint64]bool               // deployments whose manifest went out (in memory: after a restart it is sent again, which providers accept)
	counts counters
}

type counters struct {
	steps, created, closed, topups, refused, errors uint64
}

func (m *Manager) logf(format string, args ...any) {
	if m.Log != nil {
		fmt.Fprintf(m.Log, format+"\n", args...)
	}
}

// minGroups is the fewest deployments the policy keeps (at least one, so a
// load that arrives can be served).
func (m *Manager) minGroups() int {
	if m.Policy == PolicyDelivery {
		return max(m.Cfg.MinGroups, 1)
	}
	return 1
}

// manifestFor is the manifest a deployment in region runs: the SDL with
// region= on its placement, so that its version and placement are those of
// the order (a provider refuses a manifest for another placement).
func (m *Manager) manifestFor(region string) (*manifest.Manifest, error) {
	if region == "" || m.SDL == nil {
		return m.Manifest, nil
	}
	if p := m.placed[region]; p != nil {
		return p, nil
	}
	p, err := PlaceIn(m.SDLFile, m.SDL, region)
	if err != nil {
		return nil, err
	}
	if m.placed == nil {
		m.placed = map[string]*manifest.Manifest{}
	}
	m.placed[region] = p
	return p, nil
}

// groupSpec is the manifest's group, placed in region ("" = as written).
func (m *Manager) groupSpec(region string) dtypes.GroupSpec {
	g := m.Manifest.Groups()[0]
	if region != "" {
		attrs := manifest.Attributes{}
		for _, a := range g.Requirements.Attributes {
			if a.Key != dtypes.RegionKey {
				attrs = append(attrs, a)
			}
		}
		g.Requirements.Attributes = append(attrs, manifest.Attribute{Key: dtypes.RegionKey, Value: region})
	}
	return conv.GroupSpec(g)
}

// CheckGrant reports, before any message, a grant that cannot carry the
// policy's minimum: every problem at once, each naming the limit.
func (m *Manager) CheckGrant(a *dtypes.ManageDeploymentsAuthorization) error {
	if a == nil {
		return fmt.Errorf("%w from %s to this key for %s; the tenant grants one with akash-node tx authz grant MANAGER manage-deployments (docs/tiers.md)",
			ErrNoGrant, m.Owner, sdk.MsgTypeURL(&dtypes.MsgManageDeployment{}))
	}
	var probs []string
	need := m.minGroups()
	for _, act := range []string{dtypes.ActionCreate, dtypes.ActionClose} {
		if !slices.Contains(a.Allowed, act) {
			probs = append(probs, fmt.Sprintf("actions: %s is not allowed (allowed: %s); the manager creates and closes deployments", act, strings.Join(a.Allowed, ",")))
		}
	}
	if int(a.MaxDeployments) < need {
		probs = append(probs, fmt.Sprintf("max-deployments: %d; the policy keeps at least %d", a.MaxDeployments, need))
	}
	if a.SpendLeft.Denom != m.Deposit.Denom {
		probs = append(probs, fmt.Sprintf("spend-limit: in %s; the deposit is %s", a.SpendLeft.Denom, m.Deposit))
	} else if open := need - len(a.Live); open > 0 && a.SpendLeft.Amount.LT(m.Deposit.Amount.MulRaw(int64(open))) {
		probs = append(probs, fmt.Sprintf("spend-limit: %s left; opening %d more deployment(s) at %s each needs %s",
			a.SpendLeft, open, m.Deposit, sdk.NewCoin(m.Deposit.Denom, m.Deposit.Amount.MulRaw(int64(open)))))
	}
	// The price once (regions aside), then each region (price aside).
	priceOnly := *a
	priceOnly.Regions = nil
	if err := checkGroupsOnly(priceOnly, m.groupSpec("")); err != nil {
		probs = append(probs, err.Error())
	}
	if m.Policy == PolicyDelivery && len(a.Regions) > 0 {
		regionOnly := *a
		regionOnly.MaxPrice.Amount = sdkmath.LegacyNewDec(1 << 62)
		for _, r := range m.Cfg.Regions {
			if err := checkGroupsOnly(regionOnly, m.groupSpec(r)); err != nil {
				probs = append(probs, err.Error())
			}
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("the grant from %s is too small for the %s policy:\n  %s", m.Owner, m.Policy, strings.Join(probs, "\n  "))
	}
	return nil
}

// checkGroupsOnly runs the grant's group bounds (price, region) on g. The
// deployment count is not its business (CheckGrant reports it on its own):
// a manager restarted with the grant's every slot in use must start.
func checkGroupsOnly(a dtypes.ManageDeploymentsAuthorization, g dtypes.GroupSpec) error {
	a.Allowed = []string{dtypes.ActionCreate}
	a.Live, a.MaxDeployments = nil, 1
	a.SpendLeft = sdk.NewCoin(a.SpendLeft.Denom, sdkmath.NewInt(1))
	msg := &dtypes.MsgManageDeployment{Owner: sdk.AccAddress(make([]byte, 20)).String()}
	msg.Create = &dtypes.MsgCreateDeployment{Owner: msg.Owner, Dseq: 1, Groups: []dtypes.GroupSpec{g}, Version: make([]byte, 32),
		Deposit: sdk.NewCoin(a.SpendLeft.Denom, sdkmath.NewInt(1))}
	_, err := a.Accept(context.Background(), msg)
	if err != nil {
		s := err.Error()
		return errors.New(strings.TrimSuffix(s, ": "+dtypes.ErrGrantLimit.Error()))
	}
	return nil
}

// Start reads the grant and checks it against the policy's minimum.
func (m *Manager) Start(ctx context.Context) error {
	a, err := m.Chain.Grant(ctx)
	if err != nil {
		return err
	}
	return m.CheckGrant(a)
}

// Step runs one decision: rebuild the managed deployments from the chain,
// read the load, decide with core/policy, close what goes, create what
// comes, top up escrow that runs low, send manifests to new leases.
func (m *Manager) Step(ctx context.Context) (Step, error) {
	st, err := m.step(ctx)
	m.mu.Lock()
	m.counts.steps++
	if err != nil {
		m.counts.errors++
		if strings.Contains(err.Error(), dtypes.ErrGrantLimit.Error()) {
			m.counts.refused++
		}
	} else {
		m.last = st
	}
	m.mu.Unlock()
	return st, err
}

func (m *Manager) step(ctx context.Context) (Step, error) {
	var st Step
	h, err := m.Chain.Height(ctx)
	if err != nil {
		return st, err
	}
	st.Height = h
	a, err := m.Chain.Grant(ctx)
	if err != nil {
		return st, err
	}
	if a == nil {
		return st, fmt.Errorf("%w: the tenant %s revoked it or it expired", ErrNoGrant, m.Owner)
	}
	m.mu.Lock()
	m.grant = a
	m.mu.Unlock()
	var live []Managed
	for _, dseq := range a.Live { // ascending: creation order, newest last
		d, err := m.Chain.Deployment(ctx, dseq)
		if err != nil {
			return st, err
		}
		if !d.Active {
			if err := m.exec(ctx, &dtypes.MsgManageDeployment{Close: &dtypes.MsgCloseDeployment{Owner: m.Owner, Dseq: dseq}}); err != nil {
				return st, err
			}
			st.Forgot = append(st.Forgot, dseq)
			continue
		}
		live = append(live, d)
		st.Groups = append(st.Groups, d.Region)
	}
	load, err := m.Source.Read(ctx)
	if err != nil {
		return st, err
	}
	var addRegions []string
	var remove []int
	switch m.Policy {
	case PolicyDelivery:
		st.Users = load.Users
		ds := policy.DeliveryState{Users: load.Users, LatencyUS: m.Cfg.Latency(), TargetUS: m.Cfg.TargetUS(),
			GroupCapacity: m.Cfg.GroupCapacity(), MinGroups: m.Cfg.MinGroups, MaxGroups: m.Cfg.MaxGroups}
		for _, d := range live {
			ds.Groups = append(ds.Groups, policy.GroupView{Region: max(slices.Index(m.Cfg.Regions, d.Region), 0), Leased: d.Leased()})
		}
		dec := policy.Decide(ds)
		for _, r := range dec.Add {
			addRegions = append(addRegions, m.Cfg.Regions[r])
		}
		remove = dec.Remove
	case PolicyMLBatch:
		st.Queue = load.Queue
		ms := policy.MLState{Queued: load.Queue, WorkersPerJob: m.Cfg.WorkersPerJob, MaxWorkers: m.Cfg.MaxWorkers}
		leased := 0
		for _, d := range live {
			ms.Workers = append(ms.Workers, policy.WorkerView{Leased: d.Leased()})
			if d.Leased() {
				leased++
			}
		}
		// The chain cannot see which workers run a job: the queue's need
		// counts as busy (a worker is released only beyond it).
		ms.Busy = min(leased, load.Queue*max(m.Cfg.WorkersPerJob, 1))
		dec := policy.MLDecide(ms)
		for range dec.Add {
			addRegions = append(addRegions, "")
		}
		remove = dec.Remove
	}
	for _, i := range remove {
		d := live[i]
		if err := m.exec(ctx, &dtypes.MsgManageDeployment{Close: &dtypes.MsgCloseDeployment{Owner: m.Owner, Dseq: d.DSeq}}); err != nil {
			return st, err
		}
		st.Removed = append(st.Removed, d.DSeq)
		st.RemovedRegions = append(st.RemovedRegions, d.Region)
		m.logf("closed deployment %d (%s)", d.DSeq, regionName(d.Region))
	}
	for k, r := range addRegions {
		mf, err := m.manifestFor(r)
		if err != nil {
			return st, err
		}
		v := mf.Version()
		// dseq from the height: a create that landed before a kill is in
		// the grant's live list at the next start, and a repeat of this
		// very create fails as existing rather than doubling.
		dseq := uint64(h)*100 + uint64(k) + 1
		msg := &dtypes.MsgManageDeployment{Create: &dtypes.MsgCreateDeployment{Owner: m.Owner, Dseq: dseq,
			Groups: []dtypes.GroupSpec{m.groupSpec(r)}, Version: v[:], Deposit: m.Deposit}}
		if err := m.exec(ctx, msg); err != nil {
			return st, err
		}
		st.Added = append(st.Added, r)
		m.logf("created deployment %d (%s)", dseq, regionName(r))
	}
	for i, d := range live {
		if slices.Contains(remove, i) {
			continue
		}
		if m.TopBelow != nil && d.Balance.LT(*m.TopBelow) {
			if err := m.exec(ctx, &dtypes.MsgManageDeployment{Deposit: &dtypes.MsgDepositDeployment{Owner: m.Owner, Dseq: d.DSeq,
				Amount: m.TopUp, Depositor: m.Owner}}); err != nil {
				return st, err
			}
			st.TopUps = append(st.TopUps, d.DSeq)
		}
		if d.Leased() && m.SendManifest != nil && !m.sent[d.DSeq] {
			mf, err := m.manifestFor(d.Region)
			if err != nil {
				return st, err
			}
			if err := m.SendManifest(ctx, market.DeploymentID{Owner: m.Owner, DSeq: d.DSeq}, mf, d.Leases); err != nil {
				m.logf("manifest to deployment %d's providers: %v (retried next step)", d.DSeq, err)
				continue
			}
			if m.sent == nil {
				m.sent = map[uint64]bool{}
			}
			m.sent[d.DSeq] = true
		}
	}
	return st, nil
}

func (m *Manager) exec(ctx context.Context, msg *dtypes.MsgManageDeployment) error {
	msg.Owner = m.Owner
	if err := m.Chain.Exec(ctx, msg); err != nil {
		return fmt.Errorf("%s deployment %d: %w", msg.Action(), msg.Dseq(), err)
	}
	m.mu.Lock()
	switch msg.Action() {
	case dtypes.ActionCreate:
		m.counts.created++
	case dtypes.ActionClose:
		m.counts.closed++
	case dtypes.ActionDeposit:
		m.counts.topups++
	}
	m.mu.Unlock()
	return nil
}

func regionName(r string) string {
	if r == "" {
		return "any region"
	}
	return r
}
