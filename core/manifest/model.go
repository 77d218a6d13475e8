package manifest

import "github.com/akash-market/akash/core/money"

// Manifest is a parsed, validated and compiled SDL file. It is immutable:
// every accessor returns data computed once by Parse.
type Manifest struct {
	sdlVersion string // "2.0" or "2.1"
	services   []Service
	profiles   []ComputeProfile
	placements []Placement
	endpoints  []Endpoint
	groups     []Group
	topology   Topology
	canonical  []byte
	version    [32]byte
	akash      []byte // the manifest as Akash's provider receives it; version = sha256(akash)
	warnings   ErrorList
}

// Service is one deployed container service, as the provider runtime needs it.
type Service struct {
	Name        string
	Image       string
	Command     []string // entrypoint override, in order; nil when absent, empty when written as []
	Args        []string // in order; nil when absent, empty when written as []
	Env         []string // "NAME=value", in the order written; nil when absent, empty when written as []
	Expose      []ServiceExpose
	Storage     []StorageMount // params.storage, sorted by volume
	Permissions *Permissions   // params.permissions, nil when absent
	TEE         string         // params.tee ("cpu" or "cpu-gpu"), "" when absent
	// Capabilities are the Linux capabilities the service asks for
	// (params.capabilities, an extension: upper case, no CAP_ prefix,
	// sorted); a provider drops every other one.
	Capabilities []string
	Credentials  *Credentials // private registry login, nil when absent
	Deployments  []Deployment // where it runs, sorted by placement

	// params records that the service has a params mapping at all: Akash's
	// manifest (and so the version) tells an empty params from none.
	params bool
}

// Permissions are params.permissions: what the service may read about its
// own deployment from the provider (Akash passes the list through as written).
type Permissions struct {
	Read []string // nil when absent, empty when written as []
}

// Deployment is one "deployment.<service>.<placement>" entry.
type Deployment struct {
	Placement string
	Profile   string
	Count     uint32
}

// ServiceExpose is one entry of a service's expose list.
type ServiceExpose struct {
	Port        uint32
	As          uint32   // 0 when absent (the port itself is used)
	Proto       string   // "TCP" or "UDP"
	Accept      []string // host names in the order written; nil when absent, empty when written as []
	HTTPOptions HTTPOptions
	To          []ExposeTarget // empty: reachable only inside the group's namespace by port

	// proto as written ("" when absent): Akash tells a leased IP's ports
	// apart by it, so the canonical form keeps it.
	protoText string
}

// ExposeTarget is one "to" entry: a service allowed to connect, or the internet.
type ExposeTarget struct {
	Service string
	Global  bool
	IP      string // a named IP endpoint, only with Global
}

// HTTPOptions are the ingress proxy settings; absent ones take Akash's defaults.
type HTTPOptions struct {
	MaxBodySize uint32 // bytes
	ReadTimeout uint32 // ms
	SendTimeout uint32 // ms
	NextTries   uint32
	NextTimeout uint32 // ms
	NextCases   []string
	// ProxyBufferSize is the ingress proxy's buffer in bytes, at most 1 MiB;
	// 0 (absent) leaves it to the provider, and Akash leaves it out of the version.
	ProxyBufferSize uint32
}

// StorageMount mounts a volume of the service's compute profile.
type StorageMount struct {
	Volume   string
	Mount    string // absolute path
	ReadOnly bool
}

// Credentials log the provider into a private image registry.
type Credentials struct {
	Host     string
	Email    string
	Username string
	Password string
}

// ComputeProfile is profiles.compute.<name>.
type ComputeProfile struct {
	Name      string
	Resources Resources
}

// Placement is profiles.placement.<name>.
type Placement struct {
	Name         string
	Requirements PlacementRequirements
	Pricing      []ProfilePrice // sorted by profile
}

// ProfilePrice is the most the tenant pays per block for one replica of a profile.
type ProfilePrice struct {
	Profile string
	Price   money.Coin
}

// Endpoint is endpoints.<name>: a leased IP.
type Endpoint struct {
	Name string
	Kind string // "ip"
}

// SDLVersion is the manifest's "version", normalized to "2.0" or "2.1".
func (m *Manifest) SDLVersion() string { return m.sdlVersion }

// Services returns the deployed services sorted by name.
func (m *Manifest) Services() []Service { return m.services }

// Profiles returns the compute profiles that deployments use, sorted by name.
func (m *Manifest) Profiles() []ComputeProfile { return m.profiles }

// Endpoints returns the declared IP endpoints sorted by name.
func (m *Manifest) Endpoints() []Endpoint { return m.endpoints }

// Groups returns one group per placement, sorted by placement name.
func (m *Manifest) Groups() []Group { return m.groups }

// Topology returns who may connect to whom.
func (m *Manifest) Topology() Topology { return m.topology }

// Canonical returns the canonical encoding (docs/manifest.md); it is itself a
// valid manifest.
func (m *Manifest) Canonical() []byte { return m.canonical }

// Version is the deployment version recorded on chain, computed as Akash
// computes it: sha256 of AkashManifest. A provider checks a received manifest
// against it.
func (m *Manifest) Version() [32]byte { return m.version }

// AkashManifest is the manifest as an Akash provider receives it (the groups
// of services it runs, without prices or placement requirements), encoded as
// JSON with every object's keys sorted: the bytes Version hashes.
func (m *Manifest) AkashManifest() []byte { return m.akash }

// Warnings are problems that do not stop a deployment, e.g. keys Akash ignores.
func (m *Manifest) Warnings() ErrorList { return m.warnings }
