// Package baseline defines the run file of query-bench and load-bench, and
// stores and loads named runs.
//
// A [Run] records everything needed to trust (or distrust) a later
// comparison: machine, Go and JanusGraph versions, server configuration,
// git commit, dataset fingerprint, and per operation its parameter list and
// raw samples. `--save NAME` writes DIR/NAME.json, where DIR defaults to
// [DefaultDir] (.graphperf/baselines); `--compare NAME` reads it back.
package baseline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
)

// FormatVersion is the version of the run-file format this package writes.
const FormatVersion = 1

// DefaultDir is where named runs are stored, relative to the working
// directory.
const DefaultDir = ".graphperf/baselines"

// Run is one benchmark run, as stored in a run file.
type Run struct {
	// FormatVersion is the file format version ([FormatVersion]).
	FormatVersion int `json:"format_version"`
	// Name is the name the run was saved under, if any.
	Name string `json:"name,omitempty"`
	// Command is the benchmark kind: "query-bench" or "load-bench".
	Command string `json:"command"`
	// Started is when the run began.
	Started time.Time `json:"started"`
	// Machine describes the client machine.
	Machine Machine `json:"machine"`
	// GoVersion is the Go runtime that built graphperf.
	GoVersion string `json:"go_version"`
	// Server describes the JanusGraph server (caller provided).
	Server Server `json:"server"`
	// Commit is the git commit of the code under test.
	Commit string `json:"commit,omitempty"`
	// Dataset fingerprints the loaded data; runs over different datasets
	// are never compared.
	Dataset string `json:"dataset"`
	// Driver is the Gremlin driver used (graphperf, grammes, ...).
	Driver string `json:"driver,omitempty"`
	// Settings records the sampling settings (rounds, min time, clients,
	// ...) as given by the caller.
	Settings map[string]string `json:"settings,omitempty"`
	// Operations are the benchmarked operations, in execution order.
	Operations []Operation `json:"operations"`
}

// Machine describes the machine the client ran on.
type Machine struct {
	GOOS     string `json:"goos"`
	GOARCH   string `json:"goarch"`
	CPUModel string `json:"cpu_model,omitempty"`
	Cores    int    `json:"cores"`
	Hostname string `json:"hostname,omitempty"`
}

// Server describes the JanusGraph server a run talked to.
type Server struct {
	// JanusGraphVersion, e.g. "1.1.0".
	JanusGraphVersion string `json:"janusgraph_version,omitempty"`
	// Hosts are the Gremlin Server addresses.
	Hosts []string `json:"hosts,omitempty"`
	// Config holds relevant server settings (backend, cache, pool sizes,
	// ...), as the caller chooses to record them.
	Config map[string]string `json:"config,omitempty"`
}

// Operation is one benchmarked operation (a query with its parameter list,
// or a load phase) and its raw samples.
type Operation struct {
	// Name identifies the operation across runs (e.g. "account-lookup").
	Name string `json:"name"`
	// Unit says what Samples measure and which direction is better.
	Unit stats.Unit `json:"unit"`
	// Params is the parameter list, in execution order; sample k used
	// parameter SampleParams[k] (or k mod len(Params) when SampleParams is
	// empty). Each entry is caller-encoded JSON (e.g. Gremlin bindings).
	Params []json.RawMessage `json:"params,omitempty"`
	// Samples are the raw values in Unit (seconds for latencies), in
	// completion order.
	Samples []float64 `json:"samples"`
	// SampleParams is the parameter index of each sample (optional).
	SampleParams []int `json:"sample_params,omitempty"`
	// Clients is the number of concurrent callers.
	Clients int `json:"clients,omitempty"`
	// Elapsed is the wall time of the measured phase.
	Elapsed time.Duration `json:"elapsed_ns,omitempty"`
	// ErrorCount counts failed calls; failed calls have no sample.
	ErrorCount int `json:"error_count,omitempty"`
	// Errors keeps some failure messages.
	Errors []string `json:"errors,omitempty"`
}

// Summary summarizes the operation's samples.
func (o *Operation) Summary() stats.Summary { return stats.Summarize(o.Samples, o.Unit) }

// Throughput returns successful calls per second of wall time across all
// clients, or 0 when Elapsed is unknown.
func (o *Operation) Throughput() float64 {
	if o.Elapsed <= 0 {
		return 0
	}
	return float64(len(o.Samples)) / o.Elapsed.Seconds()
}

// Operation returns the operation with the given name, or nil.
func (r *Run) Operation(name string) *Operation {
	for i := range r.Operations {
		if r.Operations[i].Name == name {
			return &r.Operations[i]
		}
	}
	return nil
}

// Validate checks the run's internal consistency: format version, unique
// operation names, valid units.
func (r *Run) Validate() error {
	if r.FormatVersion != FormatVersion {
		return fmt.Errorf("run file format version %d, this graphperf reads version %d", r.FormatVersion, FormatVersion)
	}
	seen := make(map[string]bool, len(r.Operations))
	for _, op := range r.Operations {
		if op.Name == "" {
			return errors.New("run has an operation without a name")
		}
		if seen[op.Name] {
			return fmt.Errorf("run has operation %q twice", op.Name)
		}
		seen[op.Name] = true
		if !op.Unit.Valid() {
			return fmt.Errorf("operation %q has an invalid unit %+v", op.Name, op.Unit)
		}
		if len(op.SampleParams) != 0 && len(op.SampleParams) != len(op.Samples) {
			return fmt.Errorf("operation %q has %d samples but %d sample params", op.Name, len(op.Samples), len(op.SampleParams))
		}
	}
	return nil
}

// NewRun returns a Run with FormatVersion, Started, Machine and GoVersion
// filled in for the current process.
func NewRun(command string) *Run {
	return &Run{
		FormatVersion: FormatVersion,
		Command:       command,
		Started:       time.Now().UTC(),
		Machine:       CurrentMachine(),
		GoVersion:     runtime.Version(),
	}
}

// CurrentMachine describes the machine this process runs on. The CPU model
// is read from /proc/cpuinfo where it exists.
func CurrentMachine() Machine {
	host, _ := os.Hostname()
	return Machine{
		GOOS:     runtime.GOOS,
		GOARCH:   runtime.GOARCH,
		CPUModel: cpuModel(),
		Cores:    runtime.NumCPU(),
		Hostname: host,
	}
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "model name", "Model", "cpu model":
			return strings.TrimSpace(val)
		}
	}
	return ""
}

// GitCommit returns `git rev-parse HEAD` run in dir ("" for the working
// directory), with a "-dirty" suffix when the work tree has uncommitted
// changes to tracked files.
func GitCommit(ctx context.Context, dir string) (string, error) {
	out, err := git(ctx, dir, "rev-parse", "HEAD")
	if err != nil {
		return "", err
	}
	commit := strings.TrimSpace(out)
	if st, err := git(ctx, dir, "status", "--porcelain", "--untracked-files=no"); err == nil && strings.TrimSpace(st) != "" {
		commit += "-dirty"
	}
	return commit, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// NotFoundError reports a missing named run. The CLI turns it into exit
// code 2, naming Path.
type NotFoundError struct {
	Name string
	Path string
	Err  error
}

// Error implements error.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("baseline %q not found: %s does not exist (save one first with --save %s)", e.Name, e.Path, e.Name)
}

// Unwrap returns the underlying file-system error.
func (e *NotFoundError) Unwrap() error { return e.Err }

// InvalidNameError reports a run name that cannot be a file name.
type InvalidNameError struct{ Name string }

// Error implements error.
func (e *InvalidNameError) Error() string {
	return fmt.Sprintf("invalid baseline name %q: use letters, digits, '.', '-' and '_' (no path separators)", e.Name)
}

// Path returns the file a run named name is stored in under dir (dir ""
// means [DefaultDir]).
func Path(dir, name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if dir == "" {
		dir = DefaultDir
	}
	return filepath.Join(dir, name+".json"), nil
}

func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.HasPrefix(name, ".") {
		return &InvalidNameError{Name: name}
	}
	for _, c := range name {
		ok := c == '-' || c == '_' || c == '.' ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		if !ok {
			return &InvalidNameError{Name: name}
		}
	}
	return nil
}

// Save writes run as name under dir (see [Path]), creating dir. The file is
// written to a temporary file and renamed, so a crash never leaves a torn
// baseline. run.Name is set to name. It returns the path written.
func Save(dir, name string, run *Run) (string, error) {
	path, err := Path(dir, name)
	if err != nil {
		return "", err
	}
	run.Name = name
	if run.FormatVersion == 0 {
		run.FormatVersion = FormatVersion
	}
	if err := run.Validate(); err != nil {
		return "", fmt.Errorf("save baseline %q: %w", name, err)
	}
	data, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return "", fmt.Errorf("save baseline %q: %w", name, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("save baseline %q: %w", name, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+name+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("save baseline %q: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return "", fmt.Errorf("save baseline %q: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("save baseline %q: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("save baseline %q: %w", name, err)
	}
	return path, nil
}

// Load reads the run named name under dir. A missing file gives a
// *NotFoundError.
func Load(dir, name string) (*Run, error) {
	path, err := Path(dir, name)
	if err != nil {
		return nil, err
	}
	run, err := ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotFoundError{Name: name, Path: path, Err: err}
	}
	return run, err
}

// ReadFile reads and validates a run file.
func ReadFile(path string) (*Run, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read run file: %w", err)
	}
	var run Run
	if err := json.Unmarshal(data, &run); err != nil {
		return nil, fmt.Errorf("read run file %s: %w", path, err)
	}
	if err := run.Validate(); err != nil {
		return nil, fmt.Errorf("read run file %s: %w", path, err)
	}
	// Indented storage reformats the parameters: give them back compact,
	// as callers encode them.
	for i := range run.Operations {
		for j, p := range run.Operations[i].Params {
			var buf bytes.Buffer
			if err := json.Compact(&buf, p); err == nil {
				run.Operations[i].Params[j] = buf.Bytes()
			}
		}
	}
	return &run, nil
}
