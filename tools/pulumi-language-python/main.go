// Command pulumi-language-python runs Python programs and Python policy packs for the Pulumi
// engine that tools/pulumi-cli builds.
//
// Pulumi's own Python host is a Go module that pulumi never tags and the module proxy does not
// serve, and v3.78.1, the last release with the host inside sdk/v3, predates the engine's
// current protocol (it reads the virtualenv from flags the engine no longer passes and ignores
// the program of RunPlugin, so a policy pack runs the stack's program instead). This host does
// the two jobs the tests need the way Pulumi's does: Run starts the SDK's
// pulumi-language-python-exec shim, RunPlugin starts a policy pack, each with the interpreter
// of the virtualenv named by Pulumi.yaml or PulumiPolicy.yaml, resolved by the SDK's own Python
// toolchain package. Everything else is left unimplemented, which the engine tolerates.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// The exit code the SDK uses after it has printed a message the user can act on.
const bailExitCode = 32

// Version is the Pulumi release whose SDK packages this host is built from.
var Version = "3.259.0"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	exec          string // the pulumi-language-python-exec shim, beside this binary
}

func main() {
	flag.String("tracing", "", "ignored")
	flag.String("root", "", "ignored")
	flag.Parse()
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	h := &host{exec: filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")}
	if args := flag.Args(); len(args) > 0 {
		h.engineAddress = args[len(args)-1]
	}
	cancel := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fail(err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
	os.Exit(1)
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// GetRequiredPackages names no plugins: the tests put every plugin on PATH and turn automatic
// plugin acquisition off, so there is nothing for the engine to install first.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// python resolves the interpreter as Pulumi's host does: the toolchain and virtualenv options
// of the project (or policy pack) file, a relative virtualenv taken from its root directory.
func python(ctx context.Context, info *pulumirpc.ProgramInfo, args ...string) (*exec.Cmd, error) {
	options := map[string]any{}
	if info.GetOptions() != nil {
		options = info.GetOptions().AsMap()
	}
	opts := toolchain.PythonOptions{
		Root:       info.GetRootDirectory(),
		ProgramDir: info.GetProgramDirectory(),
		Toolchain:  toolchain.Pip,
	}
	if venv, ok := options["virtualenv"].(string); ok {
		opts.Virtualenv = venv
	}
	switch options["toolchain"] {
	case nil, "pip":
	default:
		return nil, fmt.Errorf("toolchain %v: only pip is supported by this host", options["toolchain"])
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return nil, err
	}
	if opts.Virtualenv != "" {
		if err := tc.ValidateVenv(ctx); err != nil {
			return nil, err
		}
	}
	return tc.Command(ctx, args...)
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	args := []string{"-u", h.exec}
	add := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("project", req.GetProject())
	add("root_directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("dry_run", strconv.FormatBool(req.GetDryRun()))
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	add("organization", req.GetOrganization())
	program := req.GetInfo().GetProgramDirectory()
	if entry := req.GetInfo().GetEntryPoint(); entry != "" && entry != "." {
		program = filepath.Join(program, entry)
	}
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	cmd, err := python(ctx, req.GetInfo(), args...)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	config, err := json.Marshal(nonNil(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(append([]string{}, req.GetConfigSecretKeys()...))
	if err != nil {
		return nil, err
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	cmd.Dir = req.GetPwd()
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.ExitStatus() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("program exited with non-zero exit code: %d", exit.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin starts a policy pack: `python <pack directory> <engine address>` in the pack's
// virtualenv, its output streamed back to the engine.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	program := req.GetInfo().GetProgramDirectory()
	if program == "" {
		program = req.GetProgram()
	}
	args := append([]string{"-u", program}, req.GetArgs()...)
	cmd, err := python(server.Context(), req.GetInfo(), args...)
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	env := req.GetEnv()
	if cmd.Env != nil {
		env = append(env, activation(cmd.Env)...)
	}
	cmd.Env, cmd.Dir = env, req.GetPwd()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exit.ExitCode())},
			})
		}
		return fmt.Errorf("could not run the plugin: %w", err)
	}
	return closer.Close()
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// activation keeps the variables a virtualenv's activation sets (PATH and VIRTUAL_ENV), which
// must win over the engine-provided environment of RunPlugin.
func activation(env []string) []string {
	var out []string
	for _, kv := range env {
		if len(kv) > 5 && (kv[:5] == "PATH=" || (len(kv) > 12 && kv[:12] == "VIRTUAL_ENV=")) {
			out = append(out, kv)
		}
	}
	return out
}
