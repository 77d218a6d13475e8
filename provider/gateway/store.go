package gateway

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/internal/atomicfile"
)

// ManifestStore keeps accepted manifests (canonical bytes) by deployment, so
// that fellow providers can fetch them and a restarted daemon can redeploy.
type ManifestStore interface {
	Put(id market.DeploymentID, canonical []byte) error
	// Get returns ErrNotFound when no manifest is held for id.
	Get(id market.DeploymentID) ([]byte, error)
	Delete(id market.DeploymentID) error
	List() ([]market.DeploymentID, error)
}

// DirStore is a ManifestStore in a directory: one file per deployment,
// "<owner>_<dseq>.manifest", written atomically (temp file + rename).
type DirStore struct{ Dir string }

// NewDirStore creates dir if needed.
func NewDirStore(dir string) (*DirStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("manifest store %s: %w", dir, err)
	}
	return &DirStore{Dir: dir}, nil
}

func (s *DirStore) path(id market.DeploymentID) (string, error) {
	if id.Owner == "" || strings.ContainsAny(id.Owner, `/\_. `) {
		return "", fmt.Errorf("manifest store: owner %q is not an address", id.Owner)
	}
	return filepath.Join(s.Dir, fmt.Sprintf("%s_%d.manifest", id.Owner, id.DSeq)), nil
}

// Put implements ManifestStore.
func (s *DirStore) Put(id market.DeploymentID, canonical []byte) error {
	p, err := s.path(id)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(p, canonical, 0o600); err != nil {
		return fmt.Errorf("manifest store: write %s: %w", p, err)
	}
	return nil
}

// Get implements ManifestStore.
func (s *DirStore) Get(id market.DeploymentID) ([]byte, error) {
	p, err := s.path(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("manifest of deployment %s: %w", id, ErrNotFound)
	}
	return b, err
}

// Delete implements ManifestStore; deleting what is absent is not an error.
func (s *DirStore) Delete(id market.DeploymentID) error {
	p, err := s.path(id)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// List implements ManifestStore.
func (s *DirStore) List() ([]market.DeploymentID, error) {
	ents, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, err
	}
	var out []market.DeploymentID
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".manifest")
		if !ok {
			continue
		}
		owner, dseq, ok := strings.Cut(name, "_")
		n, err := strconv.ParseUint(dseq, 10, 64)
		if !ok || err != nil {
			continue
		}
		out = append(out, market.DeploymentID{Owner: owner, DSeq: n})
	}
	return out, nil
}
