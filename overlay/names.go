package overlay

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/akash-market/akash/core/manifest"
)

// URIScheme is the scheme of the URI that names a link in a tunnel certificate.
const URIScheme = "akash"

// URI names the link's deployment and connection, as written in the URI SAN of
// both of its tunnel certificates:
//
//	akash://<owner>/<dseq>/<from>/<to>/<port>/<proto>
//
// e.g. akash://akash1xyz/42/web/db/5432/tcp. Both providers derive it from
// the same on-chain deployment and manifest, so each can check that the
// peer's certificate names exactly the connection it expects.
func (l Link) URI() string {
	return fmt.Sprintf("%s://%s/%d/%s/%s/%d/%s", URIScheme, l.Deployment.Owner, l.Deployment.DSeq,
		l.Conn.From, l.Conn.To, l.Conn.Port, strings.ToLower(l.Conn.Proto))
}

// ParseLinkURI reads a URI written by Link.URI back into the deployment and
// connection it names. It accepts nothing else: no query, fragment, user,
// port, empty or extra segment.
func ParseLinkURI(s string) (DeploymentID, manifest.Connection, error) {
	bad := func(why string) (DeploymentID, manifest.Connection, error) {
		return DeploymentID{}, manifest.Connection{}, fmt.Errorf("overlay: link URI %q: %s; want akash://<owner>/<dseq>/<from>/<to>/<port>/<tcp|udp>", s, why)
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad(err.Error())
	}
	if u.Scheme != URIScheme {
		return bad("scheme is not " + URIScheme)
	}
	if u.User != nil || u.Port() != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || u.RawPath != "" {
		return bad("has parts a link URI never has")
	}
	if u.Host == "" {
		return bad("no owner")
	}
	seg := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if len(seg) != 5 {
		return bad(fmt.Sprintf("%d path segments", len(seg)))
	}
	for _, x := range seg {
		if x == "" {
			return bad("empty path segment")
		}
	}
	dseq, err := strconv.ParseUint(seg[0], 10, 64)
	if err != nil || strconv.FormatUint(dseq, 10) != seg[0] {
		return bad("dseq is not a decimal number")
	}
	port, err := strconv.ParseUint(seg[3], 10, 32)
	if err != nil || port == 0 || port > 65535 || strconv.FormatUint(port, 10) != seg[3] {
		return bad("port is not 1..65535")
	}
	if seg[4] != "tcp" && seg[4] != "udp" {
		return bad("proto is not tcp or udp")
	}
	return DeploymentID{Owner: u.Host, DSeq: dseq},
		manifest.Connection{From: seg[1], To: seg[2], Port: uint32(port), Proto: strings.ToUpper(seg[4])}, nil
}

// ServerName is the TLS server name (SNI) a client asks for when it opens this
// link: it lets one tunnel endpoint serve many links and answer each with the
// certificate of that link. It is a hash, so the deployment's owner and
// service names do not travel in clear text.
func (l Link) ServerName() string {
	sum := sha256.Sum256([]byte(l.URI()))
	return hex.EncodeToString(sum[:16]) + ".tunnel.akash"
}
