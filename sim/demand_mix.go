package sim

// BuiltinDemand is the demand mix a tenant class uses when its scenario gives
// none. It was derived once (by hand, not at run time) from the 222 groups of
// the real Akash manifests in /work/shared/sdl-corpus/expected.jsonl: each
// group's totals were bucketed (cpu to 0.5/1/2/4/8/16/32 cores, memory and
// storage to powers of two) and the most frequent buckets kept, with their
// counts as weights. Small web services dominate by count; GPU inference
// shapes (1 GPU with 16–40 GiB) and a few 8-GPU training boxes form the tail.
var BuiltinDemand = []Shape{
	{Name: "web-tiny", Weight: 18, CPU: 500, Memory: 512 * Mi, Storage: 1 * Gi, Count: 1},
	{Name: "web-small", Weight: 18, CPU: 1000, Memory: 512 * Mi, Storage: 1 * Gi, Count: 1},
	{Name: "web-1g", Weight: 10, CPU: 1000, Memory: 1 * Gi, Storage: 1 * Gi, Count: 1},
	{Name: "app-5g", Weight: 16, CPU: 1000, Memory: 1 * Gi, Storage: 5 * Gi, Count: 1},
	{Name: "app-2c", Weight: 4, CPU: 2000, Memory: 2 * Gi, Storage: 5 * Gi, Count: 1},
	{Name: "db-4c", Weight: 3, CPU: 4000, Memory: 8 * Gi, Storage: 50 * Gi, Count: 1},
	{Name: "svc-16c", Weight: 3, CPU: 16000, Memory: 32 * Gi, Storage: 100 * Gi, Count: 1},
	{Name: "gpu-small", Weight: 8, CPU: 500, Memory: 1 * Gi, Storage: 1 * Gi, GPU: 1, Count: 1},
	{Name: "gpu-inference", Weight: 10, CPU: 4000, Memory: 16 * Gi, Storage: 100 * Gi, GPU: 1, Count: 1},
	{Name: "gpu-llm", Weight: 6, CPU: 8000, Memory: 32 * Gi, Storage: 200 * Gi, GPU: 1, Count: 1},
	{Name: "gpu-multi", Weight: 3, CPU: 32000, Memory: 128 * Gi, Storage: 500 * Gi, GPU: 4, Count: 1},
	{Name: "gpu-train", Weight: 8, CPU: 32000, Memory: 128 * Gi, Storage: 1000 * Gi, GPU: 8, Count: 1},
}

// Byte units for shapes written in Go.
const (
	Ki Size = 1 << 10
	Mi Size = 1 << 20
	Gi Size = 1 << 30
)
