package cli

import (
	"fmt"
	"strings"
	"testing"

	cmtcli "github.com/cometbft/cometbft/libs/cli"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
)

// ourModules are the modules whose tx/query commands (hand-written or
// autocli) must each carry an Example; the SDK's own modules are held only to
// "every Example that exists parses".
var ourModules = []string{"cert", "provider", "deployment", "escrow", "market"}

// TestExamplesParse walks the whole akash-node tree and runs every example
// line of every help text through the real command tree: the subcommand must
// exist, every flag must be defined and take the value given, and the
// command's Args validator must accept the positional arguments. So a help
// example cannot drift from the command it documents.
func TestExamplesParse(t *testing.T) {
	root := newRoot(t)
	p := &trees{}
	checked := 0
	walk(root, func(c *cobra.Command) {
		if c.Example != "" && strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s: Example is only whitespace", c.CommandPath())
			return
		}
		lines, err := exampleLines(c.Example)
		if err != nil {
			t.Errorf("%s: %v", c.CommandPath(), err)
		}
		if c.Example != "" && len(lines) == 0 {
			t.Errorf("%s: Example has no `akash-node ...` line:\n%s", c.CommandPath(), c.Example)
		}
		for _, args := range lines {
			if err := parseExample(p, args); err != nil {
				t.Errorf("%s example %q: %v", c.CommandPath(), strings.Join(args, " "), err)
			}
			checked++
		}
	})
	if checked < 40 {
		t.Fatalf("only %d example lines found: the walk missed part of the tree", checked)
	}
	t.Logf("%d example lines parsed in %d trees", checked, len(p.roots))
}

// TestModuleCommandsDocumented: every tx/query command of our modules,
// autocli's included, has a Short and, when it is runnable, an Example.
func TestModuleCommandsDocumented(t *testing.T) {
	root := newRoot(t)
	for _, group := range []string{"tx", "query"} {
		for _, mod := range ourModules {
			c, rest, err := root.Find([]string{group, mod})
			if err != nil || len(rest) != 0 || c.Name() != mod {
				// escrow has no transactions of its own (deployment and market drive it).
				if group == "tx" && mod == "escrow" {
					continue
				}
				t.Errorf("akash-node %s %s: missing (%v)", group, mod, err)
				continue
			}
			n := 0
			walk(c, func(c *cobra.Command) {
				n++
				if strings.TrimSpace(c.Short) == "" {
					t.Errorf("%s: no Short help", c.CommandPath())
				}
				if c.Runnable() && c.HasParent() && c.Parent() != root && strings.TrimSpace(c.Example) == "" && c.Name() != mod {
					t.Errorf("%s: no Example", c.CommandPath())
				}
			})
			if n < 2 {
				t.Errorf("akash-node %s %s: no subcommands", group, mod)
			}
		}
	}
	// Outside our modules a missing Short is still a gap in --help.
	walk(root, func(c *cobra.Command) {
		if strings.TrimSpace(c.Short) == "" && !c.Hidden {
			t.Errorf("%s: no Short help", c.CommandPath())
		}
	})
}

// The parser must really reject what is wrong, or TestExamplesParse proves nothing.
func TestParseExampleRejects(t *testing.T) {
	p := &trees{}
	for _, line := range []string{
		"akash-node tx market bid akash1x/1/1/1 --no-such-flag 1",     // unknown flag
		"akash-node tx market bid",                                    // missing the order ID
		"akash-node tx market bid a/1/1/1 b/1/1/1 --price 1uakt",      // one arg too many
		"akash-node tx deployment create --dseq notanumber x.yaml",    // flag value of the wrong type
		"akash-node query nosuchmodule things",                        // no such command
		"akash-node tx deployment close 42 --from tenant",             // close takes --dseq, no args
		"akash-node tx market withdraw akash1x/1/1/1/akash1p --yes=x", // bad bool
	} {
		args, err := splitLine(strings.TrimPrefix(line, "akash-node "))
		if err != nil {
			t.Fatal(err)
		}
		if err := parseExample(p, args); err == nil {
			t.Errorf("%q: accepted", line)
		}
	}
}

func TestExampleLines(t *testing.T) {
	ex := `  akash-node tx bank send alice akash1... 1000uakt --chain-id akash-local \
    --keyring-backend test --yes
  # a comment
  $ akash-node export --home ~/.akash > genesis-export.json
  akash-node query bank balances $(akash-node keys show bob -a) | jq .
  akash-node tx market close-lease o/1/1/1/p --detail "no manifest after 5 min" --from provider
  not a command line`
	got, err := exampleLines(ex)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"tx", "bank", "send", "alice", "akash1...", "1000uakt", "--chain-id", "akash-local", "--keyring-backend", "test", "--yes"},
		{"export", "--home", "~/.akash"},
		{"query", "bank", "balances", "SUBST"},
		{"tx", "market", "close-lease", "o/1/1/1/p", "--detail", "no manifest after 5 min", "--from", "provider"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if _, err := exampleLines(`akash-node tx x --detail "open`); err == nil {
		t.Fatal("unterminated quote accepted")
	}
}

func newRoot(t *testing.T) *cobra.Command {
	t.Helper()
	root, err := NewRootCmd()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func walk(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, s := range c.Commands() {
		walk(s, f)
	}
}

// trees hands out command trees so that no command parses two examples in
// the same tree: flag values and Changed marks of one example must not leak
// into the next. Building a tree costs ~0.1 s, so trees are reused across
// commands.
type trees struct {
	roots []*cobra.Command
	used  []map[string]bool // per root: command paths already parsed
}

func (p *trees) find(args []string) (*cobra.Command, []string, error) {
	for i := 0; ; i++ {
		if i == len(p.roots) {
			root, err := NewRootCmd()
			if err != nil {
				return nil, nil, err
			}
			addExecuteFlags(root)
			p.roots = append(p.roots, root)
			p.used = append(p.used, map[string]bool{})
		}
		cmd, rest, err := p.roots[i].Find(args)
		if err != nil || cmd == p.roots[i] {
			return nil, nil, fmt.Errorf("no such command (%v)", err)
		}
		if !p.used[i][cmd.CommandPath()] {
			p.used[i][cmd.CommandPath()] = true
			return cmd, rest, nil
		}
	}
}

// parseExample finds the command args name in a tree where it is still
// untouched, parses its flags as cobra would and runs its Args validator and
// required-flag check, without executing anything.
func parseExample(p *trees, args []string) error {
	cmd, rest, err := p.find(args)
	if err != nil {
		return err
	}
	if cmd.DisableFlagParsing {
		return fmt.Errorf("%s parses no flags; the example must name one of its subcommands", cmd.CommandPath())
	}
	cmd.InitDefaultHelpFlag()
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	if h, err := cmd.Flags().GetBool("help"); err == nil && h {
		return nil
	}
	pos := cmd.Flags().Args()
	// cobra leaves an unknown subcommand of a group as a positional arg (the
	// group's RunE refuses it at run time); "[flags]" is cobra's placeholder.
	// A command with its own Args validator takes arguments besides its
	// subcommands (query market order OWNER DSEQ ... and order list).
	if cmd.HasAvailableSubCommands() && cmd.Args == nil && len(pos) > 0 && pos[0] != "[flags]" {
		return fmt.Errorf("%s has no subcommand %q", cmd.CommandPath(), pos[0])
	}
	if err := cmd.ValidateArgs(pos); err != nil {
		return err
	}
	return cmd.ValidateRequiredFlags()
}

// addExecuteFlags adds the root flags main's svrcmd.Execute adds before it
// runs the tree (--home, --trace, --log_*), so examples may use them.
func addExecuteFlags(root *cobra.Command) {
	pf := root.PersistentFlags()
	pf.String(cmtcli.HomeFlag, "", "")
	pf.Bool(cmtcli.TraceFlag, false, "")
	pf.String(flags.FlagLogLevel, "", "")
	pf.String(flags.FlagLogFormat, "", "")
	pf.Bool(flags.FlagLogNoColor, false, "")
	pf.String(flags.FlagVerboseLogLevel, "", "")
}

// exampleLines returns the argument lists (without "akash-node") of the
// example lines in ex. A trailing backslash continues a line; "# ..."
// comments, a leading "$ " prompt, redirections and pipes are dropped, and a
// $(...) substitution stands for one argument, "SUBST".
func exampleLines(ex string) ([][]string, error) {
	var out [][]string
	var cont string
	for _, raw := range strings.Split(ex, "\n") {
		line := strings.TrimSpace(raw)
		if cont != "" {
			line = cont + " " + line
			cont = ""
		}
		if strings.HasSuffix(line, "\\") {
			cont = strings.TrimSuffix(line, "\\")
			continue
		}
		line = strings.TrimPrefix(line, "$ ")
		if !strings.HasPrefix(line, "akash-node ") {
			continue
		}
		args, err := splitLine(strings.TrimPrefix(line, "akash-node "))
		if err != nil {
			return out, fmt.Errorf("example %q: %w", line, err)
		}
		out = append(out, args)
	}
	return out, nil
}

// splitLine splits a shell-like line into words: single and double quotes
// group, "#" starts a comment, "|" or ">" ends the command, $(...) is one word.
func splitLine(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // cur holds a word (possibly empty, from "")
	)
	flush := func() {
		if in {
			words = append(words, cur.String())
		}
		cur.Reset()
		in = false
	}
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == ' ' || ch == '\t':
			flush()
		case ch == '"' || ch == '\'':
			j := strings.IndexByte(s[i+1:], ch)
			if j < 0 {
				return nil, fmt.Errorf("unterminated %c quote", ch)
			}
			cur.WriteString(s[i+1 : i+1+j])
			in = true
			i += j + 1
		case ch == '$' && i+1 < len(s) && s[i+1] == '(':
			j := strings.IndexByte(s[i:], ')')
			if j < 0 {
				return nil, fmt.Errorf("unterminated $(")
			}
			cur.WriteString("SUBST")
			in = true
			i += j
		case ch == '#' && !in, ch == '|', ch == '>':
			flush()
			return words, nil
		default:
			cur.WriteByte(ch)
			in = true
		}
	}
	flush()
	return words, nil
}
