package types

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"

	errorsmod "cosmossdk.io/errors"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
)

// Limits on what a provider registers; they bound the store and the size of
// every order match that reads the attributes.
const (
	MaxAttributes     = 64
	MaxAttributeValue = 128
	MaxHostURILen     = 256
	MaxEmailLen       = 128
	MaxWebsiteLen     = 256
)

// ValidateAddress checks a bech32 account address and names the field.
func ValidateAddress(field, addr string) error {
	if addr == "" {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s is empty; want a bech32 account address (akash1...)", field)
	}
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v; want a bech32 account address (akash1...)", field, addr, err)
	}
	return nil
}

// ValidateHostURI accepts an https URL with a host and optional port and
// path: the provider's mTLS gateway, which tenants dial directly.
func ValidateHostURI(s string) error {
	hint := "want https://host[:port], e.g. https://provider.example.com:8443"
	if s == "" {
		return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri is empty; %s", hint)
	}
	if len(s) > MaxHostURILen {
		return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri is %d bytes, more than %d", len(s), MaxHostURILen)
	}
	u, err := url.Parse(s)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri %q: %v; %s", s, err, hint)
	}
	switch {
	case u.Scheme != "https":
		return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri %q: scheme %q; the gateway speaks mutual TLS only, %s", s, u.Scheme, hint)
	case u.Hostname() == "":
		return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri %q has no host; %s", s, hint)
	case u.User != nil:
		return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri %q carries user info; remove it (%s)", s, hint)
	case u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri %q has a query or fragment; %s", s, hint)
	}
	if p := u.Port(); p != "" {
		var n int
		if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n < 1 || n > 65535 || fmt.Sprint(n) != p {
			return errorsmod.Wrapf(ErrInvalidHostURI, "host_uri %q: port %q; want 1..65535", s, p)
		}
	}
	return nil
}

// ValidateAttributes checks keys by core/manifest's attribute rule (so every
// key an order can require can be stated), values (1..128 printable
// characters, no spaces), the count, and that no key repeats.
func ValidateAttributes(attrs []Attribute) error {
	if len(attrs) > MaxAttributes {
		return errorsmod.Wrapf(ErrInvalidAttribute, "%d attributes; at most %d", len(attrs), MaxAttributes)
	}
	seen := make(map[string]int, len(attrs))
	for i, a := range attrs {
		if !manifest.ValidAttributeKey(a.Key) {
			return errorsmod.Wrapf(ErrInvalidAttribute, "attributes[%d]: key %q: %s", i, a.Key, manifest.AttributeKeyRule)
		}
		if j, dup := seen[a.Key]; dup {
			return errorsmod.Wrapf(ErrInvalidAttribute, "attributes[%d]: key %q repeats attributes[%d]; give each key one value", i, a.Key, j)
		}
		seen[a.Key] = i
		if a.Value == "" || len(a.Value) > MaxAttributeValue {
			return errorsmod.Wrapf(ErrInvalidAttribute, "attributes[%d] (%s): value is %d bytes; want 1..%d", i, a.Key, len(a.Value), MaxAttributeValue)
		}
		if k := strings.IndexFunc(a.Value, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }); k >= 0 {
			return errorsmod.Wrapf(ErrInvalidAttribute, "attributes[%d] (%s): value %q has a space or control character at byte %d; write e.g. us-west", i, a.Key, a.Value, k)
		}
	}
	return nil
}

// SortAttributes returns attrs sorted by key (the stored, canonical order).
func SortAttributes(attrs []Attribute) []Attribute {
	out := append([]Attribute(nil), attrs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// ManifestAttributes converts stored attributes to core/manifest's form.
func ManifestAttributes(attrs []Attribute) manifest.Attributes {
	out := make(manifest.Attributes, len(attrs))
	for i, a := range attrs {
		out[i] = manifest.Attribute{Key: a.Key, Value: a.Value}
	}
	return out
}

// Validate checks the contact information.
func (i Info) Validate() error {
	if len(i.Email) > MaxEmailLen {
		return errorsmod.Wrapf(ErrInvalidInfo, "info.email is %d bytes; at most %d", len(i.Email), MaxEmailLen)
	}
	if i.Email != "" && (!strings.Contains(i.Email, "@") || strings.ContainsAny(i.Email, " \t\r\n")) {
		return errorsmod.Wrapf(ErrInvalidInfo, "info.email %q; want name@domain", i.Email)
	}
	if len(i.Website) > MaxWebsiteLen {
		return errorsmod.Wrapf(ErrInvalidInfo, "info.website is %d bytes; at most %d", len(i.Website), MaxWebsiteLen)
	}
	if i.Website != "" {
		u, err := url.Parse(i.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return errorsmod.Wrapf(ErrInvalidInfo, "info.website %q; want an http(s) URL such as https://example.com", i.Website)
		}
	}
	return nil
}

// Validate checks a stored provider record (genesis).
func (p Provider) Validate() error {
	if err := ValidateAddress("owner", p.Owner); err != nil {
		return err
	}
	if err := ValidateHostURI(p.HostURI); err != nil {
		return errorsmod.Wrapf(err, "provider %s", p.Owner)
	}
	if err := ValidateAttributes(p.Attributes); err != nil {
		return errorsmod.Wrapf(err, "provider %s", p.Owner)
	}
	if !sort.SliceIsSorted(p.Attributes, func(i, j int) bool { return p.Attributes[i].Key < p.Attributes[j].Key }) {
		return errorsmod.Wrapf(ErrInvalidAttribute, "provider %s: attributes not sorted by key", p.Owner)
	}
	return p.Info.Validate()
}
