package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// submit.sh must chain the merge with afterany, not afterok: after one
// failed or cancelled task, afterok leaves the merge pending forever, even
// once the task is rerun. A stand-in sbatch on PATH records what the script
// submits.
func TestSubmitChainsTheMergeAfterAnyEnd(t *testing.T) {
	bin := t.TempDir()
	log := filepath.Join(bin, "calls")
	fake := "#!/bin/bash\necho \"$*\" >> " + log + "\nif [[ \"$*\" == *sweep.sbatch* ]]; then echo '4711;cluster'; else echo 4712; fi\n"
	if err := os.WriteFile(filepath.Join(bin, "sbatch"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "slurm/submit.sh")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "OUT=/shared/out", "SPEC=tiny")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("submit.sh: %v\n%s", err, out)
	}
	calls, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(calls)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "sweep.sbatch") {
		t.Fatalf("sbatch calls: %q", lines)
	}
	merge := lines[1]
	if !strings.Contains(merge, "--dependency=afterany:4711 ") || strings.Contains(merge, "afterok") || !strings.Contains(merge, "akash-sim merge '/shared/out'") {
		t.Errorf("merge submitted as %q; want --dependency=afterany:4711 and akash-sim merge '/shared/out'", merge)
	}
}
