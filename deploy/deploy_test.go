// Package deploy holds the cluster examples (a Kubernetes Indexed Job, a
// Slurm array script, a FROM scratch image); its tests check that they
// parse, that their index → shard mapping covers every run of the sweep
// exactly once, and that the image and the Slurm script really run a sweep.
package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/runtime/testimage"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sweep"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds a static akash-sim once per test process.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "akash-sim-deploy-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "akash-sim")
		cmd := exec.Command("go", "build", "-trimpath", "-o", binPath, "../cmd/akash-sim")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// shippedPlan loads a shipped sweep spec, as the jobs name it.
func shippedPlan(t *testing.T, name string) *sweep.Plan {
	t.Helper()
	src, err := scenarios.SweepSource(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sweep.LoadSpec(name+".yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// coverage maps every shard of 0..n-1 (given by shardOf) onto the plan's
// runs and checks each run is owned exactly once.
func coverage(t *testing.T, p *sweep.Plan, n int, shardOf func(i int) string) {
	t.Helper()
	owners := map[sweep.RunID][]int{}
	for i := range n {
		sh, err := sweep.ParseShard(shardOf(i))
		if err != nil {
			t.Fatalf("index %d: %v", i, err)
		}
		for _, id := range sh.Runs(p) {
			owners[id] = append(owners[id], i)
		}
	}
	for _, id := range p.Runs() {
		if len(owners[id]) != 1 {
			t.Errorf("run %s is run by indices %v, want exactly one", p.RunName(id), owners[id])
		}
	}
}

func TestKubernetesIndexedJobCoversEveryRun(t *testing.T) {
	data, err := os.ReadFile("k8s/sweep-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	docs := map[string]map[string]any{}
	for {
		var d map[string]any
		if err := dec.Decode(&d); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("k8s/sweep-job.yaml: %v", err)
		}
		docs[d["kind"].(string)] = d
	}
	pvc, job := docs["PersistentVolumeClaim"], docs["Job"]
	if pvc == nil || job == nil {
		t.Fatalf("want a PersistentVolumeClaim and a Job, got %v", docs)
	}
	spec := job["spec"].(map[string]any)
	if spec["completionMode"] != "Indexed" {
		t.Fatalf("completionMode %v, want Indexed", spec["completionMode"])
	}
	completions := spec["completions"].(int)
	pod := spec["template"].(map[string]any)["spec"].(map[string]any)
	c := pod["containers"].([]any)[0].(map[string]any)
	var args []string
	for _, a := range c["args"].([]any) {
		args = append(args, fmt.Sprint(a))
	}
	flag := func(name string) string {
		for i, a := range args {
			if a == name && i+1 < len(args) {
				return args[i+1]
			}
		}
		t.Fatalf("args %v have no %s", args, name)
		return ""
	}
	if args[0] != "sweep" {
		t.Fatalf("args %v: want sweep first", args)
	}
	expr := flag("--shard")
	m := regexp.MustCompile(`^\$\(JOB_COMPLETION_INDEX\)/(\d+)$`).FindStringSubmatch(expr)
	if m == nil {
		t.Fatalf("--shard %q: want $(JOB_COMPLETION_INDEX)/n", expr)
	}
	if n, _ := strconv.Atoi(m[1]); n != completions {
		t.Fatalf("--shard n = %d but completions = %d: some shards would never run, or run twice", n, completions)
	}
	envOK := false
	for _, e := range c["env"].([]any) {
		e := e.(map[string]any)
		ref := fmt.Sprint(e["valueFrom"])
		envOK = envOK || e["name"] == "JOB_COMPLETION_INDEX" && strings.Contains(ref, "batch.kubernetes.io/job-completion-index")
	}
	if !envOK {
		t.Error("JOB_COMPLETION_INDEX is not taken from the completion-index annotation")
	}
	// Every pod writes one shared directory on the claimed volume.
	mount := c["volumeMounts"].([]any)[0].(map[string]any)
	claim := pod["volumes"].([]any)[0].(map[string]any)["persistentVolumeClaim"].(map[string]any)["claimName"]
	if claim != pvc["metadata"].(map[string]any)["name"] || !strings.HasPrefix(flag("--out"), mount["mountPath"].(string)+"/") {
		t.Errorf("--out %s is not on the claimed volume (%v at %v)", flag("--out"), claim, mount["mountPath"])
	}
	// The kubelet's $(VAR) substitution, for every index the Job creates.
	plan := shippedPlan(t, args[1])
	coverage(t, plan, completions, func(i int) string {
		return strings.ReplaceAll(expr, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))
	})

	// The merge job reads the same directory.
	var merge map[string]any
	mdata, err := os.ReadFile("k8s/merge-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(mdata, &merge); err != nil {
		t.Fatalf("k8s/merge-job.yaml: %v", err)
	}
	mc := merge["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
	if margs := fmt.Sprint(mc["args"]); margs != fmt.Sprintf("[merge %s]", flag("--out")) {
		t.Errorf("merge job args %s, want [merge %s]", margs, flag("--out"))
	}
}

func TestSlurmArrayCoversEveryRun(t *testing.T) {
	for _, f := range []string{"slurm/sweep.sbatch", "slurm/submit.sh", "build-image.sh"} {
		if out, err := exec.Command("bash", "-n", f).CombinedOutput(); err != nil {
			t.Fatalf("bash -n %s: %v\n%s", f, err, out)
		}
	}
	data, err := os.ReadFile("slurm/sweep.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	arr := regexp.MustCompile(`(?m)^#SBATCH --array=(\d+)-(\d+)$`).FindStringSubmatch(string(data))
	shards := regexp.MustCompile(`(?m)^SHARDS=(\d+)$`).FindStringSubmatch(string(data))
	if arr == nil || shards == nil {
		t.Fatal("want '#SBATCH --array=0-(n-1)' and 'SHARDS=n' lines")
	}
	lo, _ := strconv.Atoi(arr[1])
	hi, _ := strconv.Atoi(arr[2])
	n, _ := strconv.Atoi(shards[1])
	if lo != 0 || hi != n-1 {
		t.Fatalf("--array=%d-%d with SHARDS=%d: want --array=0-%d", lo, hi, n, n-1)
	}
	if !strings.Contains(string(data), `--shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}"`) {
		t.Fatal(`the script does not pass --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}"`)
	}
	spec := regexp.MustCompile(`(?m)^SPEC="\$\{SPEC:-([a-z-]+)\}"`).FindStringSubmatch(string(data))
	if spec == nil {
		t.Fatal("no default SPEC")
	}
	coverage(t, shippedPlan(t, spec[1]), n, func(i int) string { return fmt.Sprintf("%d/%d", i, n) })

	// Run the script itself as Slurm would, once per array task, on the
	// tiny sweep, then merge: the same aggregate as one process.
	bin := binary(t)
	root := t.TempDir()
	out := filepath.Join(root, "shared")
	for i := lo; i <= hi; i++ {
		cmd := exec.Command("bash", "slurm/sweep.sbatch")
		cmd.Env = append(os.Environ(), "SLURM_ARRAY_TASK_ID="+strconv.Itoa(i), "SLURM_CPUS_PER_TASK=1",
			"SPEC=tiny", "OUT="+out, "AKASH_SIM="+bin)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("array task %d: %v\n%s", i, err, b)
		}
	}
	if b, err := exec.Command(bin, "merge", out).CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, b)
	}
	full := filepath.Join(root, "full")
	if b, err := exec.Command(bin, "sweep", "tiny", "--out", full, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("full sweep: %v\n%s", err, b)
	}
	sameAggregate(t, full, out)
}

func sameAggregate(t *testing.T, want, got string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(want, "plots", "*.svg"))
	files = append(files, filepath.Join(want, "sweep.csv"), filepath.Join(want, "sweep.html"))
	for _, f := range files {
		rel, _ := filepath.Rel(want, f)
		a, err1 := os.ReadFile(f)
		b, err2 := os.ReadFile(filepath.Join(got, rel))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs (%v, %v)", rel, err1, err2)
		}
	}
}

func TestDockerImageRunsASweep(t *testing.T) {
	if out, err := exec.Command("docker", "version").CombinedOutput(); err != nil {
		testimage.NoEngine(t, fmt.Errorf("docker version: %v\n%s", err, out), "the image test builds and runs the akash-sim image")
	}
	bin := binary(t)
	ctx := t.TempDir()
	for _, f := range []struct{ src, dst string }{{bin, "akash-sim"}, {"Dockerfile", "Dockerfile"}} {
		b, err := os.ReadFile(f.src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ctx, f.dst), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	image := fmt.Sprintf("akash-sim-test:%d", os.Getpid())
	if out, err := exec.Command("docker", "build", "-q", "-t", image, ctx).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", image).Run() })

	data := t.TempDir()
	spec, err := scenarios.SweepSource("tiny")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "tiny.yaml"), spec, 0o644); err != nil {
		t.Fatal(err)
	}
	user := fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid())
	out, err := exec.Command("docker", "run", "--rm", "--network", "none", "--user", user, "-v", data+":/data",
		image, "sweep", "/data/tiny.yaml", "--out", "/data/tiny", "-j", "2", "--quiet").CombinedOutput()
	if err != nil {
		t.Fatalf("docker run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "4 runs, 0 done before, 4 run now") {
		t.Errorf("the container said:\n%s", out)
	}
	full := filepath.Join(t.TempDir(), "full")
	if b, err := exec.Command(bin, "sweep", "tiny", "--out", full, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("host sweep: %v\n%s", err, b)
	}
	sameAggregate(t, full, filepath.Join(data, "tiny"))
}
