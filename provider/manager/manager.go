// Package manager is the provider daemon's loop: it ties the chain (event
// stream + catch-up queries + txs), the pure bid engine, the container
// runtime and the mTLS gateway together.
//
// One goroutine (Run) owns the bid engine. Chain events, tx results and
// manifests accepted by the gateway come to it over channels; after each
// input it drains the engine's actions and hands them out: txs to one tx
// worker (which batches them into transactions and signs them in order, so
// the account's sequence never races), teardowns to the runtime. On start it reconciles the runtime with the chain (adopt what
// runs, restart what is missing, remove orphans of closed leases) before it
// bids; after any gap in the event stream it catches up from a query.
package manager

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/metrics"
	"github.com/akash-market/akash/provider/pricing"
	"github.com/akash-market/akash/runtime"
)

// Config wires a daemon.
type Config struct {
	Engine    bidengine.Config
	Inventory *inventory.Inventory
	Pricing   pricing.Strategy
	Chain     ChainClient
	Runtime   Runtime
	Store     gateway.ManifestStore
	Metrics   *metrics.Metrics
	Log       *slog.Logger

	// CatchupEvery is the safety-net catch-up period (default 30s); a
	// catch-up also runs at start and after every stream gap.
	CatchupEvery time.Duration
	// Resubscribe is the wait before subscribing again after a gap (default 1s).
	Resubscribe time.Duration
	// TxBatch is the most messages (bids, closes, withdrawals) put in one
	// transaction (default DefaultTxBatch); TxInFlight the most
	// transactions waiting for their block at once (default
	// DefaultTxInFlight).
	TxBatch, TxInFlight int

	// Peers, when set, fetches a lease's manifest from the deployment's
	// other providers when the tenant did not send it here within
	// PeerFetchAfter blocks of the lease's start (default
	// DefaultPeerFetchAfter), and again every PeerFetchAfter blocks.
	Peers          ManifestPeers
	PeerFetchAfter int64

	// Sealed keeps the price and salt of each sealed bid from before its
	// commitment is sent until its order is decided (OpenFileSealedStore).
	// Without one they are kept in memory: a restart between commit and
	// reveal then forfeits the bid.
	Sealed SealedStore

	// Overlay, when set, opens the tunnels of a deployed lease's deployment
	// (retried every block until open) and closes them when the
	// deployment's last lease here is torn down.
	Overlay Overlay
}

// Manager is the daemon. Build it with New, run it with Run; it implements
// gateway.Backend for the gateway.
type Manager struct {
	cfg    Config
	log    *slog.Logger
	engine *bidengine.Engine

	events    chan Event
	gaps      chan struct{}
	results   chan []txResult // one slice per transaction
	manifests chan market.LeaseID
	refusals  chan refusal
	tornDown  chan market.DeploymentID
	txq       *txQueue
	height    atomic.Int64 // latest block seen (the tx worker drops bids too late for it)

	pending map[market.LeaseID]bool // manifests that came before their LeaseCreated

	// Peer manifest fetches (Config.Peers), owned by the loop.
	awaiting    map[market.LeaseID]int64 // our leases without a manifest -> opened at
	fetching    map[market.DeploymentID]bool
	lastFetch   map[market.DeploymentID]int64
	fetchWarned map[market.DeploymentID]string // the last fetch error logged at Warn
	fetched     chan peerFetch
	fetches     sync.WaitGroup
	peerFetches *prometheus.CounterVec // result: ok|error

	overlay overlayState
	started chan struct{}
	// onFetch, when set (by tests, before Run), hears of each peer fetch
	// as the loop starts it, with the block height that made it due.
	onFetch   func(did market.DeploymentID, h int64)
	teardowns sync.WaitGroup // in flight; Run waits for them on the way out
}

type txResult struct {
	action bidengine.Action
	err    error
}

// New checks the config.
func New(cfg Config) (*Manager, error) {
	if cfg.Chain == nil || cfg.Runtime == nil || cfg.Store == nil || cfg.Inventory == nil || cfg.Pricing == nil {
		return nil, errors.New("manager: Chain, Runtime, Store, Inventory and Pricing are required")
	}
	if err := cfg.Engine.Validate(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.CatchupEvery == 0 {
		cfg.CatchupEvery = 30 * time.Second
	}
	if cfg.TxBatch <= 0 {
		cfg.TxBatch = DefaultTxBatch
	}
	if cfg.TxInFlight <= 0 {
		cfg.TxInFlight = DefaultTxInFlight
	}
	if cfg.Resubscribe == 0 {
		cfg.Resubscribe = time.Second
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	if cfg.Sealed == nil {
		cfg.Log.Warn("no sealed-bid store configured: a restart between a sealed bid's commit and its reveal forfeits the bid")
		cfg.Sealed = &FileSealedStore{m: map[market.OrderID]market.Reveal{}}
	}
	if cfg.PeerFetchAfter <= 0 {
		cfg.PeerFetchAfter = DefaultPeerFetchAfter
	}
	peerFetches := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "akash_provider", Name: "manifest_peer_fetches_total",
		Help: "Manifests fetched from the deployment's other providers, by result (ok|error)."}, []string{"result"})
	if cfg.Peers != nil {
		if err := cfg.Metrics.Registry.Register(peerFetches); err != nil {
			return nil, fmt.Errorf("manager: register metrics: %w", err)
		}
	}
	return &Manager{
		cfg: cfg, log: cfg.Log,
		events:    make(chan Event, 256),
		gaps:      make(chan struct{}, 1),
		results:   make(chan []txResult, 64),
		manifests: make(chan market.LeaseID, 64),
		refusals:  make(chan refusal, 64),
		tornDown:  make(chan market.DeploymentID, 64),
		txq:       newTxQueue(),
		pending:   map[market.LeaseID]bool{},
		started:   make(chan struct{}),
		awaiting:  map[market.LeaseID]int64{}, fetching: map[market.DeploymentID]bool{},
		lastFetch: map[market.DeploymentID]int64{}, fetchWarned: map[market.DeploymentID]string{}, fetched: make(chan peerFetch, 16),
		peerFetches: peerFetches,
		overlay:     overlayState{want: map[market.DeploymentID]overlayWant{}, pending: map[market.DeploymentID]bool{}},
	}, nil
}

// Started is closed once the start-up reconcile and catch-up are done.
func (m *Manager) Started() <-chan struct{} { return m.started }

// Run reconciles, catches up and then serves until ctx ends.
func (m *Manager) Run(ctx context.Context) error {
	snap, err := m.snapshot(ctx)
	if err != nil {
		return err
	}
	m.engine, err = bidengine.New(m.cfg.Engine, m.cfg.Inventory, m.cfg.Pricing, snap.Height)
	if err != nil {
		return err
	}
	bad := m.reconcile(ctx, snap)
	if err := m.engine.Catchup(snap); err != nil {
		m.log.Warn("catch-up at start", "err", err)
	}
	for _, b := range bad {
		if err := m.engine.Close(b.id, b.closure); err != nil {
			m.log.Warn("close an unrunnable lease", "lease", b.id, "err", err)
		}
	}
	m.awaitManifests(snap)
	m.forgetSealed(snap)
	m.height.Store(snap.Height)
	go m.txWorker(ctx)
	go m.subscribe(ctx)
	m.flush(ctx)
	close(m.started)
	m.log.Info("provider daemon running", "provider", m.cfg.Engine.Provider, "height", snap.Height, "leases", len(snap.Leases), "open-orders", len(snap.Orders))

	tick := time.NewTicker(m.cfg.CatchupEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			m.fetches.Wait() // they end with ctx
			m.overlay.wg.Wait()
			m.waitTeardowns(TeardownGrace)
			return nil
		case ev := <-m.events:
			m.handle(ev)
			if ev.Kind == NewBlock {
				m.pullManifests(ctx, ev.Height)
				m.overlayTry(ctx)
			}
		case r := <-m.fetched:
			m.peerFetched(r)
		case <-m.gaps:
			m.catchup(ctx, "event stream gap")
		case rs := <-m.results:
			for _, r := range rs {
				m.result(r)
			}
		case id := <-m.manifests:
			m.manifestIn(id)
		case r := <-m.refusals:
			if err := m.engine.ManifestRefused(r.id, r.why); err != nil {
				m.log.Debug("manifest refusal", "err", err)
			}
		case did := <-m.tornDown:
			m.dropManifest(did)
		case <-tick.C:
			m.catchup(ctx, "periodic")
			m.observeContainers(ctx)
		}
		m.flush(ctx)
	}
}

// snapshot queries the chain, retrying until it answers or ctx ends, and
// marks leases whose manifest the provider holds as deployed.
func (m *Manager) snapshot(ctx context.Context) (bidengine.Snapshot, error) {
	for wait := 500 * time.Millisecond; ; wait = min(2*wait, 30*time.Second) {
		snap, err := m.cfg.Chain.Snapshot(ctx)
		if err == nil {
			for i := range snap.Leases {
				if _, err := m.cfg.Store.Get(snap.Leases[i].ID.DeploymentID); err == nil {
					snap.Leases[i].Deployed = true
				}
			}
			return snap, nil
		}
		m.log.Warn("chain catch-up query failed; retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return bidengine.Snapshot{}, fmt.Errorf("provider daemon: chain not reachable: %w", err)
		case <-time.After(wait):
		}
	}
}

func (m *Manager) catchup(ctx context.Context, why string) {
	snap, err := m.cfg.Chain.Snapshot(ctx)
	if err != nil {
		m.log.Warn("catch-up query failed", "why", why, "err", err)
		return
	}
	for i := range snap.Leases {
		if _, err := m.cfg.Store.Get(snap.Leases[i].ID.DeploymentID); err == nil {
			snap.Leases[i].Deployed = true
		}
	}
	if err := m.engine.Catchup(snap); err != nil {
		m.log.Warn("catch-up", "why", why, "err", err)
	}
	m.awaitManifests(snap)
	m.forgetSealed(snap)
}

// forgetSealed drops the kept reveals of orders no longer open: decided,
// they need no reveal.
func (m *Manager) forgetSealed(snap bidengine.Snapshot) {
	open := make(map[market.OrderID]bool, len(snap.Orders))
	for _, o := range snap.Orders {
		open[o.ID] = true
	}
	var done []market.OrderID
	for _, id := range m.cfg.Sealed.Orders() {
		if !open[id] {
			done = append(done, id)
		}
	}
	if len(done) > 0 {
		if err := m.cfg.Sealed.Forget(done); err != nil {
			m.log.Warn("sealed-bid store: forget decided orders", "count", len(done), "err", err)
		}
	}
}

// awaitManifests notes the snapshot's leases of this provider that have no
// manifest yet.
func (m *Manager) awaitManifests(snap bidengine.Snapshot) {
	for _, l := range snap.Leases {
		if !l.Deployed {
			m.awaitManifest(l.ID, l.OpenedAt)
		}
	}
}

// reconcile makes the runtime match the chain before anything else runs:
// leases of this provider whose manifest it holds run (adopted or
// restarted), containers of any other lease are removed, and manifests of
// deployments it no longer serves are dropped. It never fails: a lease
// whose manifest cannot run here (runtime.ErrUnrunnable: an image missing
// or not allowed, ...) is not deployed, its manifest is dropped, and it is
// returned to be closed with the reason; an engine error is logged and the
// daemon starts anyway (a tenant's input must never keep it down).
func (m *Manager) reconcile(ctx context.Context, snap bidengine.Snapshot) []unrunnable {
	var (
		want []runtime.LeaseSpec
		bad  []unrunnable
	)
	keep := map[market.DeploymentID]bool{}
	drop := map[market.DeploymentID]bool{}
	for _, l := range snap.Leases {
		if l.ID.Provider != m.cfg.Engine.Provider {
			continue
		}
		keep[l.ID.DeploymentID] = true
		raw, err := m.cfg.Store.Get(l.ID.DeploymentID)
		if err != nil {
			continue // no manifest yet: the engine waits for it (or times out)
		}
		man, err := manifest.Parse("stored manifest of "+l.ID.DeploymentID.String(), raw)
		if err != nil {
			m.log.Error("stored manifest does not parse; the lease waits for a new one", "lease", l.ID, "err", err)
			continue
		}
		spec := runtime.LeaseSpec{Lease: ref(l.ID), Manifest: man}
		if err := m.cfg.Runtime.Check(ctx, spec); errors.Is(err, runtime.ErrUnrunnable) {
			m.log.Error("stored manifest cannot run here; closing the lease", "lease", l.ID, "err", err)
			bad = append(bad, unrunnable{id: l.ID, closure: lease.Closure{Reason: lease.ReasonProviderClosed,
				Detail: fmt.Sprintf("manifest version %s cannot run on this provider: %v", runtime.VersionHex(man)[:12], err)}})
			drop[l.ID.DeploymentID] = true
			continue
		} else if err != nil {
			m.log.Warn("could not check a stored manifest against the engine; deploying it anyway", "lease", l.ID, "err", err)
		}
		want = append(want, spec)
	}
	acts, err := m.cfg.Runtime.Reconcile(ctx, want)
	m.countRuntime(acts)
	for _, a := range acts {
		if a.Kind != runtime.ActAdopt {
			m.log.Info("reconcile", "action", a.String())
		}
	}
	if err != nil {
		m.log.Error("reconcile at start left errors; starting anyway (a manifest sent again redeploys its lease)", "leases", len(want), "err", err)
	}
	for _, w := range want {
		l := w.Lease
		m.overlayDeployed(ctx, market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: l.Owner, DSeq: l.DSeq}, GSeq: l.GSeq}, OSeq: l.OSeq}, Provider: l.Provider}, w.Manifest)
	}
	// A deployment with an unrunnable lease keeps its manifest if another
	// of its leases here runs it.
	for _, w := range want {
		delete(drop, market.DeploymentID{Owner: w.Lease.Owner, DSeq: w.Lease.DSeq})
	}
	if ids, err := m.cfg.Store.List(); err == nil {
		for _, id := range ids {
			if !keep[id] || drop[id] {
				_ = m.cfg.Store.Delete(id)
			}
		}
	}
	return bad
}

// unrunnable is a lease the start-up reconcile found it cannot run.
type unrunnable struct {
	id      market.LeaseID
	closure lease.Closure
}

// subscribe keeps an event subscription open; each break is a gap.
func (m *Manager) subscribe(ctx context.Context) {
	for ctx.Err() == nil {
		ch, err := m.cfg.Chain.Subscribe(ctx)
		if err != nil {
			m.log.Warn("subscribe to chain events failed", "err", err, "retry-in", m.cfg.Resubscribe)
		} else {
			// Events between the last catch-up and this subscription are
			// not in the stream: catch up once it is open.
			m.signalGap()
			for ev := range ch {
				select {
				case m.events <- ev:
				case <-ctx.Done():
					return
				}
			}
			if ctx.Err() != nil {
				return
			}
			m.log.Warn("chain event stream broke; catching up")
		}
		m.signalGap()
		select {
		case <-ctx.Done():
			return
		case <-time.After(m.cfg.Resubscribe):
		}
	}
}

// TeardownGrace bounds how long a stopping daemon waits for teardowns in
// flight (a SIGTERM right after a close should not leave the lease's
// networks behind; whatever remains is removed by the next start's reconcile).
const TeardownGrace = 30 * time.Second

func (m *Manager) waitTeardowns(d time.Duration) {
	done := make(chan struct{})
	go func() { m.teardowns.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		m.log.Warn("stopping with teardowns still running; the next start reconciles them", "waited", d)
	}
}

func (m *Manager) signalGap() {
	select {
	case m.gaps <- struct{}{}:
	default: // one pending catch-up covers any number of gaps
	}
}
