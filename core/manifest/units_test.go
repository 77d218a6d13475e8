package manifest

import (
	"errors"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in     string
		binary bool
		want   uint64
		err    error
	}{
		{"512", false, 512, nil},
		{"1Ki", false, 1024, nil},
		{"512Mi", false, 512 << 20, nil},
		{"1Gi", false, 1 << 30, nil},
		{"1.5Gi", false, 3 << 29, nil},
		{"0.1Gi", false, 107374182, nil}, // rounds down like Akash
		{"2Ti", false, 2 << 40, nil},
		{"1Pi", false, 1 << 50, nil},
		{"1Ei", false, 1 << 60, nil},
		{"1k", false, 1000, nil},
		{"1M", false, 1_000_000, nil},
		{"2G", false, 2_000_000_000, nil},
		{"1T", false, 1e12, nil},
		{"1P", false, 1e15, nil},
		{"1E", false, 1e18, nil},
		{"1e3Mi", false, 1000 << 20, nil},
		{"+1Gi", false, 1 << 30, nil},
		{".5Gi", false, 1 << 29, nil},
		{"1.Gi", false, 1 << 30, nil},
		{"16Ei", false, 0, errOverflow},
		{"99999999999999999999999", false, 0, errOverflow},
		{"-1Gi", false, 0, errNegative},
		{"2gi", false, 0, errNumber},
		{"4GB", false, 0, errNumber},
		{"10Gb", false, 0, errNumber},
		{"512mi", false, 0, errNumber},
		{"1K", false, 0, errNumber},
		{"Gi", false, 0, errNumber},
		{"", false, 0, errNumber},
		{"1 Gi", false, 0, errNumber},
		{"NaN", false, 0, errNumber},
		{"inf", false, 0, errNumber},
		{"0x10", false, 0, errNumber},
		{"1_000", false, 0, errNumber},
		{"1e", false, 0, errNumber},
		{"80Gi", true, 80 << 30, nil},
		{"80G", true, 0, errNumber},
	} {
		got, err := parseSize(tc.in, tc.binary)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("parseSize(%q, %v) = %d, %v; want %d, %v", tc.in, tc.binary, got, err, tc.want, tc.err)
		}
	}
}

func TestParseCPU(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		err  error
	}{
		{"1", 1000, nil},
		{"0.5", 500, nil},
		{"500m", 500, nil},
		{"100m", 100, nil},
		{"1.0", 1000, nil},
		{"0.25", 250, nil},
		{"0.0105", 10, nil}, // finer than a millicore rounds down like Akash
		{"2e1", 20000, nil},
		{"-1", 0, errNegative},
		{"0.5m", 0, errNumber},
		{"m", 0, errNumber},
		{"1 core", 0, errNumber},
		{"99999999999", 0, errOverflow},
	} {
		got, err := parseCPU(tc.in)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("parseCPU(%q) = %d, %v; want %d, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
