package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The recipes of deploy/ run gongkai as a scheduler would. The tools they
// need are Debian packages (.ci/run installs them); a test whose tool is
// missing skips, unless GONGKAI_REQUIRE_DEPLOY_TOOLS is set (as CI sets it).
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("GONGKAI_REQUIRE_DEPLOY_TOOLS") != "" {
			t.Fatalf("%s is required (GONGKAI_REQUIRE_DEPLOY_TOOLS) and not installed: %v", name, err)
		}
		t.Skipf("%s not installed (Debian: .ci/run installs it)", name)
	}
	return p
}

// gongkaiOnPath writes a `gongkai` executable (this test binary, running
// main) into a new folder and returns the folder, for the recipes' shell
// scripts to find on PATH.
func gongkaiOnPath(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := "#!/bin/sh\nGONGKAI_TEST_MAIN=1 exec " + shellQuote(exe) + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "gongkai"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// recipeEnv is the environment the recipes run in: gongkai on PATH.
func recipeEnv(bin string, extra ...string) []string {
	return append(append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")), extra...)
}

// singleRun ingests dir in one process: the warehouse every recipe's
// merged warehouse must equal.
func singleRun(t *testing.T, dir string) string {
	t.Helper()
	single := filepath.Join(t.TempDir(), "single.duckdb")
	if code, out := gongkaiProcess(t, "ingest", "--db", single, dir); code != 0 && code != 1 {
		t.Fatalf("ingest: exit %d\n%s", code, tail(out))
	}
	return single
}

// sameAsSingle compares every table and view of a recipe's warehouse with
// the single run's, apart from run ids and timestamps (and the runs: one
// against one per shard, compared by their totals).
func sameAsSingle(t *testing.T, what, merged, single string) {
	t.Helper()
	skip := []string{"documents.ingested_at", "ingest_files.run_id", "ingest_files.recorded_at"}
	want := warehouseRows(t, single, skip...)
	got := warehouseRows(t, merged, skip...)
	if len(want["documents"]) < 40 || len(want["v_year_over_year"]) == 0 {
		t.Fatalf("the single run has %d documents, %d year-over-year rows: not the corpus meant", len(want["documents"]), len(want["v_year_over_year"]))
	}
	delete(want, "ingest_runs")
	delete(got, "ingest_runs")
	sameRows(t, what, got, want)
	totals := `SELECT sum(files_seen) || ' seen, ' || sum(files_loaded) || ' loaded, ' || sum(files_failed) || ' failed' FROM ingest_runs`
	if g, w := queryString(t, merged, totals), queryString(t, single, totals); g != w {
		t.Errorf("%s: runs: %s, one process %s", what, g, w)
	}
}

// GNU parallel on one host: deploy/parallel/run.sh over the acceptance
// corpus, with a file that fails among it, gives the single run's
// warehouse; the shard with the bad file counts as done (its failure is in
// the ledger), so the merge runs. The merge step refuses while a shard is
// missing.
func TestDeployParallelRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gongkai 6 times over 50 documents")
	}
	needTool(t, "parallel")
	corpus := acceptanceCorpus(t)
	if err := os.WriteFile(filepath.Join(corpus, "broken.pdf"), []byte("%PDF-1.7\nnot really\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	single := singleRun(t, corpus)
	bin := gongkaiOnPath(t)
	out := filepath.Join(t.TempDir(), "out dir") // a space: the recipe quotes its paths
	cmd := exec.Command("../../deploy/parallel/run.sh", corpus, out, "3")
	cmd.Env = recipeEnv(bin)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run.sh: %v\n%s", err, tail(string(b)))
	}
	if !strings.Contains(string(b), "merged 3 shards") || !strings.Contains(string(b), "the files that failed are in") {
		t.Errorf("run.sh said:\n%s", tail(string(b)))
	}
	log, err := os.ReadFile(filepath.Join(out, "shards", "parallel.log"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(log)), "\n"); len(lines) != 4 { // a header and a line per shard
		t.Errorf("parallel's job log has %d lines, want 4:\n%s", len(lines), log)
	}
	merged := filepath.Join(out, "warehouse.duckdb")
	sameAsSingle(t, "GNU parallel recipe", merged, single)
	if n := queryString(t, merged, `SELECT count(*)::VARCHAR FROM ingest_files WHERE outcome = 'failed' AND source_path LIKE '%broken.pdf'`); n != "1" {
		t.Errorf("failed files in the merged ledger: %s, want the broken PDF once", n)
	}

	// The merge step with a shard missing: refused, nothing written.
	other := filepath.Join(t.TempDir(), "w.duckdb")
	cmd = exec.Command("../../deploy/gongkai-merge.sh", "4", filepath.Join(out, "shards"), other)
	cmd.Env = recipeEnv(bin)
	b, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "shard-1-of-4.duckdb is missing: shard 1/4 has not finished") {
		t.Errorf("merging 4 shards of which none exists: %v\n%s", err, b)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("%s written by a refused merge (%v)", other, err)
	}
}

// manifest is what check.py prints of one Kubernetes object, as far as the
// test reads it.
type manifest struct {
	Kind     string `json:"kind"`
	Metadata struct{ Name string }
	Data     map[string]string `json:"data"`
	Spec     struct {
		CompletionMode string `json:"completionMode"`
		Completions    int    `json:"completions"`
		Parallelism    int    `json:"parallelism"`
		Template       struct {
			Spec struct {
				Containers []struct {
					Command      []string `json:"command"`
					Env          []struct{ Name, Value string }
					VolumeMounts []struct {
						Name      string
						MountPath string `json:"mountPath"`
					} `json:"volumeMounts"`
				}
				Volumes []struct {
					Name      string
					ConfigMap *struct{ Name string } `json:"configMap"`
				}
			}
		}
	}
}

// checkManifests runs deploy/kubernetes/check.py (the Kubernetes API's own
// models, Debian's python3-kubernetes) over files.
func checkManifests(t *testing.T, files ...string) ([]manifest, string, error) {
	t.Helper()
	cmd := exec.Command("/usr/bin/python3", append([]string{"../../deploy/kubernetes/check.py"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ms []manifest
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m manifest
		if jerr := json.Unmarshal(sc.Bytes(), &m); jerr != nil {
			t.Fatalf("check.py printed %q: %v", sc.Text(), jerr)
		}
		ms = append(ms, m)
	}
	return ms, stderr.String(), err
}

// expandK8s expands a container command as the kubelet does: $(NAME) is the
// container's variable NAME (left as written when there is none), $$ is $.
func expandK8s(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := env[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+3+end])
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// The Kubernetes recipe: yamllint and the API's models accept the
// manifests and refuse broken copies; the ConfigMap holds deploy/'s
// scripts as they are; and the pods' commands, run here as the kubelet
// would run them (JOB_COMPLETION_INDEX 0, 1, 2 at once, the volumes as
// folders), then the merge Job's, give the single run's warehouse.
func TestDeployKubernetesRecipe(t *testing.T) {
	needTool(t, "yamllint")
	if _, err := os.Stat("/usr/lib/python3/dist-packages/kubernetes"); err != nil {
		if os.Getenv("GONGKAI_REQUIRE_DEPLOY_TOOLS") != "" {
			t.Fatal("python3-kubernetes is required (GONGKAI_REQUIRE_DEPLOY_TOOLS) and not installed")
		}
		t.Skip("python3-kubernetes not installed (Debian: .ci/run installs it)")
	}
	files := []string{"../../deploy/kubernetes/gongkai.yaml", "../../deploy/kubernetes/merge-job.yaml"}
	if out, err := exec.Command("yamllint", append([]string{"-s", "-c", "../../deploy/.yamllint"}, files...)...).CombinedOutput(); err != nil {
		t.Errorf("yamllint: %v\n%s", err, out)
	}
	ms, stderr, err := checkManifests(t, files...)
	if err != nil {
		t.Fatalf("check.py: %v\n%s", err, stderr)
	}
	// Broken copies are refused, each naming what is wrong.
	src, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"completionMode: Indexed", "completionMod: Indexed", "completionMod: no such field of V1JobSpec"},
		{"completions: 3", `completions: "3"`, "completions: want int"},
		{`value: "3"`, "value: 3", "value: want str"},
		{"- name: ingest\n          image: gongkai:latest", "- image: gongkai:latest", "Invalid value for `name`, must not be `None`"},
	} {
		broken := filepath.Join(t.TempDir(), "broken.yaml")
		if !bytes.Contains(src, []byte(c.from)) {
			t.Fatalf("%s lacks %q", files[0], c.from)
		}
		if err := os.WriteFile(broken, bytes.Replace(src, []byte(c.from), []byte(c.to), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := checkManifests(t, broken); err == nil || !strings.Contains(stderr, c.want) {
			t.Errorf("%q → %q: check.py: %v, %q; want a refusal naming %q", c.from, c.to, err, stderr, c.want)
		}
	}

	var cm, shards, merge *manifest
	for i := range ms {
		switch ms[i].Metadata.Name {
		case "gongkai-deploy":
			cm = &ms[i]
		case "gongkai-shards":
			shards = &ms[i]
		case "gongkai-merge":
			merge = &ms[i]
		}
	}
	if cm == nil || shards == nil || merge == nil {
		t.Fatalf("want the ConfigMap gongkai-deploy and the Jobs gongkai-shards and gongkai-merge, have %d objects", len(ms))
	}
	for _, name := range []string{"gongkai-shard.sh", "gongkai-merge.sh"} {
		b, err := os.ReadFile("../../deploy/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if cm.Data[name] != string(b) {
			t.Errorf("the ConfigMap's %s is not deploy/%s: copy it in again", name, name)
		}
	}
	if shards.Spec.CompletionMode != "Indexed" || shards.Spec.Completions != 3 || shards.Spec.Parallelism != 3 {
		t.Errorf("shards Job: completionMode %q, completions %d, parallelism %d", shards.Spec.CompletionMode, shards.Spec.Completions, shards.Spec.Parallelism)
	}

	corpus := acceptanceCorpus(t)
	single := singleRun(t, corpus)
	bin := gongkaiOnPath(t)
	root := t.TempDir()
	configMap := filepath.Join(root, "configmap")
	if err := os.MkdirAll(configMap, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range cm.Data {
		if err := os.WriteFile(filepath.Join(configMap, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	claims := map[string]string{"corpus": corpus, "shared": filepath.Join(root, "shared"), "deploy": configMap}
	// pod is the command line of a Job's container with its volumes as
	// folders here, and its environment.
	pod := func(m *manifest, extra ...string) (args, env []string) {
		c := m.Spec.Template.Spec.Containers[0]
		vars := map[string]string{}
		for _, e := range extra {
			k, v, _ := strings.Cut(e, "=")
			vars[k] = v
		}
		// Each mount path becomes its folder here, in one pass over the
		// expanded text (a NewReplacer does not look into what it put in).
		var pairs []string
		for _, vm := range c.VolumeMounts {
			dir, ok := claims[vm.Name]
			if !ok {
				t.Fatalf("%s: volume %s is none of %v", m.Metadata.Name, vm.Name, claims)
			}
			pairs = append(pairs, vm.MountPath, dir)
		}
		local := strings.NewReplacer(pairs...)
		for _, e := range c.Env {
			vars[e.Name] = e.Value
			env = append(env, e.Name+"="+local.Replace(e.Value))
		}
		for _, a := range c.Command {
			args = append(args, local.Replace(expandK8s(a, vars)))
		}
		return args, append(env, extra...)
	}
	var wg sync.WaitGroup
	outs := make([]string, shards.Spec.Completions)
	errs := make([]error, shards.Spec.Completions)
	for k := range shards.Spec.Completions {
		args, env := pod(shards, "JOB_COMPLETION_INDEX="+strconv.Itoa(k))
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Env = recipeEnv(bin, env...)
			b, err := cmd.CombinedOutput()
			outs[k], errs[k] = string(b), err
		}()
	}
	wg.Wait()
	for k := range errs {
		if errs[k] != nil {
			t.Fatalf("pod %d: %v\n%s", k, errs[k], tail(outs[k]))
		}
	}
	args, env := pod(merge)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = recipeEnv(bin, env...)
	if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "merged 3 shards") {
		t.Fatalf("merge pod %v: %v\n%s", args, err, tail(string(b)))
	}
	sameAsSingle(t, "Kubernetes recipe", filepath.Join(claims["shared"], "warehouse.duckdb"), single)
}

// freePort is a TCP port on the loopback that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// The Slurm recipe on a real Slurm: a private controller and node on this
// machine (Debian's slurmctld and slurmd, as root: CI runs as root), the
// job array and the merge submitted by deploy/slurm/submit.sh, the merge
// held until the array has succeeded; the merged warehouse is the single
// run's. sbatch --test-only checks the scripts' directives first.
func TestDeploySlurmRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Slurm controller and node")
	}
	needTool(t, "slurmctld")
	needTool(t, "slurmd")
	needTool(t, "sbatch")
	if os.Geteuid() != 0 {
		if os.Getenv("GONGKAI_REQUIRE_DEPLOY_TOOLS") != "" {
			t.Fatal("the Slurm test starts slurmd, which needs root")
		}
		t.Skip("slurmd needs root")
	}
	root, err := os.MkdirTemp("", "gongkai-slurm") // slurmd's socket paths must be short
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	for _, d := range []string{"state", "spool", "log"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(root, "slurm.conf")
	const host = "gongkai-test-node" // slurmd -N: not the machine's name, whatever that is
	// SlurmdParameters=config_overrides: the node is what slurm.conf says (2 CPUs, 8000 MB, room
	// for the recipe's --mem) whatever the machine has, so that a CI machine with less memory
	// does not drain it.
	if err := os.WriteFile(conf, fmt.Appendf(nil, `ClusterName=gongkai-test
SlurmctldHost=localhost
AuthType=auth/none
CredType=cred/none
SlurmctldPort=%[2]d
SlurmdPort=%[3]d
StateSaveLocation=%[4]s/state
SlurmdSpoolDir=%[4]s/spool
SlurmctldPidFile=%[4]s/slurmctld.pid
SlurmdPidFile=%[4]s/slurmd.pid
SlurmctldLogFile=%[4]s/log/slurmctld.log
SlurmdLogFile=%[4]s/log/slurmd.log
SlurmUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
MinJobAge=600
ReturnToService=2
SlurmdParameters=config_overrides
MpiDefault=none
NodeName=%[1]s NodeAddr=127.0.0.1 CPUs=%[5]d RealMemory=8000 State=UNKNOWN
PartitionName=test Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, host, freePort(t), freePort(t), root, 2), 0o644); err != nil {
		t.Fatal(err)
	}
	slurmEnv := append(os.Environ(), "SLURM_CONF="+conf)
	start := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = slurmEnv
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	stop := func(pidFile string) {
		b, err := os.ReadFile(filepath.Join(root, pidFile))
		if err != nil {
			return
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			if p, err := os.FindProcess(pid); err == nil {
				p.Signal(syscall.SIGTERM)
				for range 50 {
					if p.Signal(syscall.Signal(0)) != nil {
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
				p.Kill() // a daemon still waiting for its controller
			}
		}
	}
	start("slurmctld", "-i")
	t.Cleanup(func() { stop("slurmctld.pid") })
	start("slurmd", "-N", host)
	t.Cleanup(func() { stop("slurmd.pid") })
	slurm := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Env = slurmEnv
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := slurm("sinfo", "--noheader", "--format=%t")
		if err == nil && strings.TrimSpace(out) == "idle" {
			break
		}
		if time.Now().After(deadline) {
			logs, _ := os.ReadFile(filepath.Join(root, "log", "slurmctld.log"))
			t.Fatalf("the Slurm node is not idle after 30 s: %s %v\n%s", out, err, tail(string(logs)))
		}
		time.Sleep(300 * time.Millisecond)
	}
	for _, s := range []string{"shards.sbatch", "merge.sbatch"} {
		if out, err := slurm("sbatch", "--test-only", "../../deploy/slurm/"+s); err != nil || !strings.Contains(out, "to start at") {
			t.Errorf("sbatch --test-only %s: %v\n%s", s, err, out)
		}
	}

	corpus := acceptanceCorpus(t)
	single := singleRun(t, corpus)
	bin := gongkaiOnPath(t)
	shardsDir := filepath.Join(root, "shards")
	warehouse := filepath.Join(root, "warehouse.duckdb")
	// submit runs submit.sh and waits until the merge job has ended,
	// returning its state and the jobs' logs.
	state := regexp.MustCompile(`JobState=(\w+)`)
	submit := func(corpus, shards, warehouse string) (string, string) {
		cmd := exec.Command("../../deploy/slurm/submit.sh", corpus, shards, warehouse, "3")
		cmd.Env = recipeEnv(bin, "SLURM_CONF="+conf)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("submit.sh: %v\n%s", err, b)
		}
		m := regexp.MustCompile(`shards: job (\d+) \(array 1-3\); merge: job (\d+)`).FindStringSubmatch(string(b))
		if m == nil {
			t.Fatalf("submit.sh said %q", b)
		}
		deadline := time.Now().Add(5 * time.Minute)
		for {
			out, err := slurm("scontrol", "show", "job", m[2])
			if err != nil {
				t.Fatalf("scontrol show job %s: %v\n%s", m[2], err, out)
			}
			if s := state.FindStringSubmatch(out); s != nil && s[1] != "PENDING" && s[1] != "RUNNING" && s[1] != "CONFIGURING" && s[1] != "COMPLETING" {
				logs, _ := filepath.Glob(filepath.Join(shards, "*.log"))
				var all strings.Builder
				for _, l := range logs {
					b, _ := os.ReadFile(l)
					fmt.Fprintf(&all, "== %s\n%s\n", l, b)
				}
				return s[1], all.String()
			}
			if time.Now().After(deadline) {
				t.Fatalf("merge job %s not done after 5 min: %s", m[2], out)
			}
			time.Sleep(time.Second)
		}
	}
	if st, logs := submit(corpus, shardsDir, warehouse); st != "COMPLETED" {
		t.Fatalf("merge job: %s\n%s", st, tail(logs))
	}
	// The array's tasks each ran one shard, 1 to 3, and the merge after them.
	for i := 1; i <= 3; i++ {
		if _, err := os.Stat(filepath.Join(shardsDir, fmt.Sprintf("shard-%d-of-3.duckdb", i))); err != nil {
			t.Errorf("shard %d: %v", i, err)
		}
	}
	sameAsSingle(t, "Slurm recipe", warehouse, single)

	// Shards that fail (no corpus): the merge never runs, and is cancelled.
	other := filepath.Join(root, "other.duckdb")
	if st, logs := submit(filepath.Join(root, "no-such-corpus"), filepath.Join(root, "shards2"), other); st != "CANCELLED" {
		t.Errorf("merge job after failed shards: %s, want CANCELLED\n%s", st, tail(logs))
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("%s exists after failed shards (%v)", other, err)
	}
}

// The recipes' shell scripts pass shellcheck (sh for the POSIX ones, bash
// for Slurm's batch scripts, as their #! lines say).
func TestDeployScriptsShellcheck(t *testing.T) {
	needTool(t, "shellcheck")
	scripts, err := filepath.Glob("../../deploy/*.sh")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../deploy/*/*.sh")
	sbatch, _ := filepath.Glob("../../deploy/slurm/*.sbatch")
	scripts = append(append(scripts, more...), sbatch...)
	if len(scripts) != 7 {
		t.Fatalf("found %d scripts under deploy/, want the 7 of its README: %v", len(scripts), scripts)
	}
	if out, err := exec.Command("shellcheck", scripts...).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// deploy/kubernetes/run.sh applies the merge Job only once the shards' Job
// is Complete, and stops with status 1 without it when that Job Failed or
// the time is up. kubectl here is a stand-in that logs its arguments and
// answers `get job/NAME` with the conditions a file names, after a number
// of polls: run.sh's sequencing is what is tested, not Kubernetes.
func TestDeployKubernetesRunScript(t *testing.T) {
	for _, c := range []struct {
		name, shards string // the shards Job's condition once it has one
		timeout      string
		wantErr      bool
		wantLog      string
	}{
		{"complete", "Complete", "60", false, "delete job gongkai-shards gongkai-merge --ignore-not-found\napply -f gongkai.yaml\nget gongkai-shards\nget gongkai-shards\nget gongkai-shards\napply -f merge-job.yaml\nget gongkai-merge\n"},
		{"failed", "Failed", "60", true, "delete job gongkai-shards gongkai-merge --ignore-not-found\napply -f gongkai.yaml\nget gongkai-shards\nget gongkai-shards\nget gongkai-shards\n"},
		{"timeout", "", "0", true, "delete job gongkai-shards gongkai-merge --ignore-not-found\napply -f gongkai.yaml\nget gongkai-shards\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			// Each Job has its condition from the third poll on (Complete for the merge).
			kubectl := `#!/bin/sh
log="$STATE/log"
case "$1" in
apply) echo "apply -f $(basename "$3")" >>"$log" ;;
get)
	job=${2#job/}
	echo "get $job" >>"$log"
	n=$(cat "$STATE/$job.polls" 2>/dev/null || echo 0)
	n=$((n + 1))
	echo "$n" >"$STATE/$job.polls"
	[ "$job" = gongkai-merge ] && { echo Complete; exit 0; }
	if [ "$n" -ge 3 ]; then echo "$SHARDS_CONDITION"; fi
	;;
*) echo "$*" >>"$log" ;;
esac
`
			if err := os.WriteFile(filepath.Join(dir, "kubectl"), []byte(kubectl), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("../../deploy/kubernetes/run.sh")
			cmd.Env = recipeEnv(dir, "STATE="+dir, "SHARDS_CONDITION="+c.shards, "GONGKAI_POLL_SECONDS=0", "GONGKAI_SHARDS_TIMEOUT="+c.timeout)
			out, err := cmd.CombinedOutput()
			if (err != nil) != c.wantErr {
				t.Errorf("run.sh: %v, want an error: %v\n%s", err, c.wantErr, out)
			}
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			if string(log) != c.wantLog {
				t.Errorf("kubectl was called:\n%s\nwant:\n%s", log, c.wantLog)
			}
		})
	}
}
