package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

func header() *Record {
	return &Record{Kind: KindHeader, Header: &Header{Version: Version, Scenario: "t", Seed: 3, Denom: "uakt",
		BlockTimeNS: 6e9, EndHeight: 100, Market: Market{BidWindowBlocks: 10, RevealWindowBlocks: 5, BidDeposit: money.MustParseDec("5"), TakeRateBPS: 200}}}
}

var (
	dep   = ID{Owner: "tenant/web", DSeq: 1}
	order = ID{Owner: "tenant/web", DSeq: 1, GSeq: 1, OSeq: 1}
	bid   = ID{Owner: "tenant/web", DSeq: 1, GSeq: 1, OSeq: 1, Provider: "dc-0"}
	salt  = strings.Repeat("ab", 32)
)

// story is one of each record kind, in an order a run could write them.
func story() []*Record {
	group := manifest.Group{Name: "g", Requirements: manifest.PlacementRequirements{Attributes: manifest.Attributes{{Key: "region", Value: "us-west"}}},
		Units: []manifest.ResourceUnit{{Profile: "p", Count: 2, Resources: manifest.Resources{CPUMillis: 500},
			Price: money.Coin{Denom: "uakt", Amount: money.MustParseDec("1.25")}}}}
	return []*Record{
		header(),
		{Kind: KindProvider, Provider: &Provider{Addr: "dc-0", Class: "dc", Attributes: manifest.Attributes{{Key: "region", Value: "us-west"}},
			Capacity: manifest.Totals{CPUMillis: 4000}, Funds: money.MustParseDec("50100"), Stake: money.MustParseDec("100")}},
		{Kind: KindTransfer, Transfer: &Transfer{Why: "bond", From: Party{Kind: "provider", Addr: "dc-0"}, To: Party{Kind: "stake", Addr: "dc-0"}, Amount: money.MustParseDec("100")}},
		{Kind: KindDeployment, Height: 2, Deployment: &Deployment{ID: dep, Group: group, Deposit: money.MustParseDec("750.000000000000000001"), Sealed: true}},
		{Kind: KindOrder, Height: 2, Order: &Order{ID: order, Resources: manifest.Totals{CPUMillis: 1000}, MaxPrice: money.MustParseDec("2.5"),
			OpenHeight: 2, CloseHeight: 12, RevealEnd: 17, Sealed: true, Requirements: group.Requirements}},
		{Kind: KindCommit, Height: 3, Bid: &Bid{ID: bid, Price: money.MustParseDec("2"), PlacedAt: 3, Seq: 1, Deposit: money.MustParseDec("5"), Accepted: true, Commitment: salt, Salt: salt}},
		{Kind: KindReveal, Height: 12, Reveal: &Reveal{ID: bid, Price: money.MustParseDec("2"), Salt: salt}},
		{Kind: KindCreateLease, Height: 17, CreateLease: &CreateLease{ID: bid}},
		{Kind: KindOrderClosed, Height: 17, OrderClosed: &OrderClosed{ID: order, Matched: true, Winner: "dc-0", Price: money.MustParseDec("2"),
			Bids: []BidOutcome{{Provider: "dc-0", Price: money.MustParseDec("2"), Deposit: money.MustParseDec("5"), PlacedAt: 3, Seq: 1, Outcome: "won", Action: "keep"}}}},
		{Kind: KindLeaseOpened, Height: 17, LeaseOpened: &LeaseOpened{ID: bid, Price: money.MustParseDec("2")}},
		{Kind: KindWithdraw, Height: 30, Withdraw: &Withdraw{ID: bid}},
		{Kind: KindTransfer, Height: 30, Transfer: &Transfer{Why: "withdraw", From: Party{Kind: "lease"}, To: Party{Kind: "provider", Addr: "dc-0"},
			Amount: money.MustParseDec("25.48"), Account: &dep, Lease: &bid}},
		{Kind: KindDeposit, Height: 31, Deposit: &Deposit{ID: dep, Amount: money.MustParseDec("10")}},
		{Kind: KindProviderStatus, Height: 40, ProviderStatus: &ProviderStatus{Addr: "dc-0", Status: StatusOutage}},
		{Kind: KindCloseLease, Height: 40, CloseLease: &CloseLease{ID: bid, Reason: "provider-fault", Detail: "provider outage"}},
		{Kind: KindLeaseClosed, Height: 40, LeaseClosed: &LeaseClosed{ID: bid, ClosedAt: 40, Reason: "provider-fault", Detail: "provider outage"}},
		{Kind: KindBidWithdrawn, Height: 41, BidWithdrawn: &BidWithdrawn{ID: bid, Refund: money.MustParseDec("5")}},
		{Kind: KindBid, Height: 41, Bid: &Bid{ID: bid, Price: money.MustParseDec("9"), PlacedAt: 41, Seq: 2, Reason: "price"}},
		{Kind: KindCloseDeployment, Height: 42, CloseDeployment: &CloseDeployment{ID: dep, Detail: "served to term"}},
		{Kind: KindEnd, Height: 100, End: &End{Records: 19, Wallets: []Balance{{Addr: "dc-0", Amount: money.MustParseDec("50030.48")}}}},
	}
}

func encode(t testing.TB, recs []*Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, 0)
	for _, r := range recs {
		w.Write(r)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTripEveryKind(t *testing.T) {
	recs := story()
	kinds := map[Kind]bool{}
	for _, r := range recs {
		kinds[r.Kind] = true
	}
	if len(kinds) != len(payloadOf)-1 { // every kind but truncated
		t.Fatalf("the story covers %d kinds of %d", len(kinds), len(payloadOf)-1)
	}
	data := encode(t, recs)
	tr, err := Read(bytes.NewReader(data), "story")
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Complete || !reflect.DeepEqual(tr.Header, *recs[0].Header) || len(tr.Records) != len(recs)-1 {
		t.Fatalf("complete %t, header %+v, %d records", tr.Complete, tr.Header, len(tr.Records))
	}
	for i, got := range tr.Records {
		if !reflect.DeepEqual(got, *recs[i+1]) {
			t.Errorf("record %d: got %+v, want %+v", i+1, got, *recs[i+1])
		}
	}
	// Exact amounts: 18 fractional digits survive.
	if !strings.Contains(string(data), `"deposit":"750.000000000000000001"`) {
		t.Errorf("deposit not written exactly:\n%s", data)
	}
}

func TestReaderRejectsWithLine(t *testing.T) {
	good := string(encode(t, story()[:3]))
	lines := strings.SplitAfter(good, "\n")
	h, prov := lines[0], lines[1]
	cases := []struct {
		name, in string
		line     int
		want     string
	}{
		{"empty", "", 1, "empty trace"},
		{"no header", prov, 1, "starts with its header"},
		{"second header", h + prov + h, 3, "second header"},
		{"unknown kind", h + `{"kind":"bogus","h":1}` + "\n", 2, `kind "bogus"`},
		{"unknown field", h + `{"kind":"withdraw","h":1,"withdraw":{"id":{"owner":"a","dseq":1,"gseq":1,"oseq":1,"provider":"p"}},"x":1}` + "\n", 2, `unknown field "x"`},
		{"wrong payload", h + `{"kind":"withdraw","h":1,"deposit":{"id":{"owner":"a","dseq":1},"amount":"1"}}` + "\n", 2, `exactly the field "withdraw"`},
		{"two payloads", h + `{"kind":"deposit","h":1,"deposit":{"id":{"owner":"a","dseq":1},"amount":"1"},"withdraw":{"id":{"owner":"a","dseq":1}}}` + "\n", 2, "exactly the field"},
		{"bad amount", h + `{"kind":"deposit","h":1,"deposit":{"id":{"owner":"a","dseq":1},"amount":"1.5e3"}}` + "\n", 2, "not a trace record"},
		{"negative height", h + `{"kind":"deposit","h":-1,"deposit":{"id":{"owner":"a","dseq":1},"amount":"1"}}` + "\n", 2, "negative"},
		{"id level", h + `{"kind":"withdraw","h":1,"withdraw":{"id":{"owner":"a","dseq":1}}}` + "\n", 2, "want owner, dseq, gseq >= 1, oseq >= 1 and a provider"},
		{"bad reason", h + `{"kind":"close-lease","h":1,"close_lease":{"id":{"owner":"a","dseq":1,"gseq":1,"oseq":1,"provider":"p"},"reason":"bored"}}` + "\n", 2, `close reason "bored"`},
		{"bad salt", h + `{"kind":"reveal","h":1,"reveal":{"id":{"owner":"a","dseq":1,"gseq":1,"oseq":1,"provider":"p"},"price":"1","salt":"zz"}}` + "\n", 2, "64 hex digits"},
		{"two values", h + `{"kind":"withdraw","h":1,"withdraw":{"id":{"owner":"a","dseq":1,"gseq":1,"oseq":1,"provider":"p"}}} {}` + "\n", 2, "more than one JSON value"},
		{"cut off", h + prov[:len(prov)-5], 2, "cut off mid-record"},
		{"after end", h + `{"kind":"end","h":1,"end":{"records":1,"ledger":{},"wallets":[]}}` + "\n" + prov, 3, "after the trace's end"},
		{"other version", strings.Replace(h, Version, "akash-sim-trace/v0", 1), 1, `this reader reads "akash-sim-trace/v2"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.in), "x.jsonl")
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want a *trace.Error", err)
			}
			if te.Line != c.line || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "x.jsonl:") {
				t.Errorf("got %q (line %d), want line %d and %q", err, te.Line, c.line, c.want)
			}
		})
	}
}

// chunkRecorder keeps every Write call's bytes apart.
type chunkRecorder struct{ chunks [][]byte }

func (c *chunkRecorder) Write(p []byte) (int, error) {
	c.chunks = append(c.chunks, append([]byte(nil), p...))
	return len(p), nil
}

// A crash between two writes leaves whole lines: every write ends a line,
// and any prefix of the file cut at a write boundary reads cleanly.
func TestWriterWritesWholeLines(t *testing.T) {
	rec := &chunkRecorder{}
	w := NewWriter(rec, 0)
	recs := story()
	w.Write(recs[0])
	for i := 0; i < 20000; i++ {
		w.Write(recs[1+i%(len(recs)-2)])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(rec.chunks) < 3 {
		t.Fatalf("only %d writes; the test wants several flushes", len(rec.chunks))
	}
	// Every write is whole JSON lines, so every prefix of writes reads. Each
	// line is checked once; Read runs on a few prefixes (reading all of them
	// made the test quadratic in the trace's length).
	var prefix []byte
	ends := []int{} // len(prefix) after each write
	for i, c := range rec.chunks {
		if c[len(c)-1] != '\n' {
			t.Fatalf("write %d does not end a line", i)
		}
		for _, line := range bytes.Split(c[:len(c)-1], []byte("\n")) {
			if !json.Valid(line) {
				t.Fatalf("write %d holds a part of a record: %.80q", i, line)
			}
		}
		prefix = append(prefix, c...)
		ends = append(ends, len(prefix))
	}
	n := len(ends)
	for _, i := range []int{0, n / 2, n - 2, n - 1} {
		tr, err := Read(bytes.NewReader(prefix[:ends[i]]), "prefix")
		if err != nil {
			t.Fatalf("prefix of %d writes: %v", i+1, err)
		}
		if tr.Complete {
			t.Fatal("a prefix without the end record reads as complete")
		}
		if i == n-1 && len(tr.Records) != 20000 {
			t.Fatalf("read %d records, wrote 20000", len(tr.Records))
		}
	}
	// A cut inside the last line: the records before it, and ErrTruncatedLine.
	tr, err := Read(bytes.NewReader(prefix[:len(prefix)-3]), "cut")
	if !errors.Is(err, ErrTruncatedLine) || len(tr.Records) != 19999 {
		t.Fatalf("cut trace: %d records, err %v", len(tr.Records), err)
	}
}

func TestLimitTruncates(t *testing.T) {
	recs := story()
	var buf bytes.Buffer
	w := NewWriter(&buf, 4)
	for _, r := range recs {
		w.Write(r)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tr, err := Read(&buf, "limited")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Truncated() || tr.Complete || len(tr.Records) != 5 || tr.Records[4].Kind != KindTruncated || tr.Records[4].Truncated.Limit != 4 {
		t.Fatalf("truncated %t complete %t, %d records, last %+v", w.Truncated(), tr.Complete, len(tr.Records), tr.Records[len(tr.Records)-1])
	}
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter(io.Discard, 0)
	w.Write(story()[1])
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "exactly one header, first") {
		t.Fatalf("provider before header: %v", err)
	}
	if _, err := Create(filepath.Join(t.TempDir(), "no", "such", "dir", "t.jsonl"), 0); err == nil {
		t.Fatal("Create in a missing directory succeeded")
	}
	path := filepath.Join(t.TempDir(), "t.jsonl")
	fw, err := Create(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range story() {
		fw.Write(r)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	tr, err := ReadFile(path)
	if err != nil || !tr.Complete {
		t.Fatalf("file round trip: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
