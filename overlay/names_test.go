package overlay

import (
	"strings"
	"testing"
)

func TestLinkURIRoundTrip(t *testing.T) {
	l := Link{Deployment: DeploymentID{Owner: "akash1tenant", DSeq: 42}, Conn: conn("web", "db", 5432, "TCP")}
	if got, want := l.URI(), "akash://akash1tenant/42/web/db/5432/tcp"; got != want {
		t.Fatalf("URI = %s, want %s", got, want)
	}
	dep, c, err := ParseLinkURI(l.URI())
	if err != nil || dep != l.Deployment || c != l.Conn {
		t.Fatalf("parse = %v %v %v", dep, c, err)
	}
	if !strings.HasSuffix(l.ServerName(), ".tunnel.akash") || len(l.ServerName()) != 32+len(".tunnel.akash") {
		t.Fatalf("server name %q", l.ServerName())
	}
	other := l
	other.Conn.Port = 5433
	if other.ServerName() == l.ServerName() {
		t.Fatal("two connections share a server name")
	}
}

func TestParseLinkURIRefuses(t *testing.T) {
	for _, s := range []string{
		"",
		"https://akash1t/1/web/db/1/tcp",
		"akash:///1/web/db/1/tcp",
		"akash://akash1t/1/web/db/1",
		"akash://akash1t/1/web/db/1/tcp/x",
		"akash://akash1t/01/web/db/1/tcp",
		"akash://akash1t/1/web/db/0/tcp",
		"akash://akash1t/1/web/db/65536/tcp",
		"akash://akash1t/1/web/db/1/sctp",
		"akash://akash1t/1/web//1/tcp",
		"akash://akash1t:9/1/web/db/1/tcp",
		"akash://u@akash1t/1/web/db/1/tcp",
		"akash://akash1t/1/web/db/1/tcp?x=1",
		"akash://akash1t/1/w%2Feb/db/1/tcp",
	} {
		if _, _, err := ParseLinkURI(s); err == nil {
			t.Errorf("ParseLinkURI(%q) accepted", s)
		}
	}
}

func FuzzParseLinkURI(f *testing.F) {
	f.Add("akash://akash1tenant/42/web/db/5432/tcp")
	f.Add("akash://a/0/b/c/1/udp")
	f.Fuzz(func(t *testing.T, s string) {
		dep, c, err := ParseLinkURI(s)
		if err != nil {
			return
		}
		// Whatever parses must print back to a URI that parses to the same link.
		l := Link{Deployment: dep, Conn: c}
		dep2, c2, err := ParseLinkURI(l.URI())
		if err != nil || dep2 != dep || c2 != c {
			t.Fatalf("%q -> %v %v -> %q -> %v %v %v", s, dep, c, l.URI(), dep2, c2, err)
		}
	})
}
