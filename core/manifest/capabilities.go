package manifest

import (
	"sort"
	"strings"
)

// linuxCapabilities are the capability names of Linux (capabilities(7)),
// without the CAP_ prefix.
var linuxCapabilities = map[string]bool{
	"AUDIT_CONTROL": true, "AUDIT_READ": true, "AUDIT_WRITE": true, "BLOCK_SUSPEND": true, "BPF": true,
	"CHECKPOINT_RESTORE": true, "CHOWN": true, "DAC_OVERRIDE": true, "DAC_READ_SEARCH": true, "FOWNER": true,
	"FSETID": true, "IPC_LOCK": true, "IPC_OWNER": true, "KILL": true, "LEASE": true, "LINUX_IMMUTABLE": true,
	"MAC_ADMIN": true, "MAC_OVERRIDE": true, "MKNOD": true, "NET_ADMIN": true, "NET_BIND_SERVICE": true,
	"NET_BROADCAST": true, "NET_RAW": true, "PERFMON": true, "SETFCAP": true, "SETGID": true, "SETPCAP": true,
	"SETUID": true, "SYSLOG": true, "SYS_ADMIN": true, "SYS_BOOT": true, "SYS_CHROOT": true, "SYS_MODULE": true,
	"SYS_NICE": true, "SYS_PACCT": true, "SYS_PTRACE": true, "SYS_RAWIO": true, "SYS_RESOURCE": true,
	"SYS_TIME": true, "SYS_TTY_CONFIG": true, "WAKE_ALARM": true,
}

// CanonicalCapability writes a capability name the one way a manifest keeps
// it: upper case, without the CAP_ prefix ("cap_net_bind_service" ->
// "NET_BIND_SERVICE"). ok is false for a name Linux does not have.
func CanonicalCapability(name string) (c string, ok bool) {
	c = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(name)), "CAP_")
	return c, linuxCapabilities[c]
}

// capabilityNames lists every known name, sorted, for hints.
func capabilityNames() string {
	names := make([]string, 0, len(linuxCapabilities))
	for n := range linuxCapabilities {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
