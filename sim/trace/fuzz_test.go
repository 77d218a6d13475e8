package trace

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzReader: any input either reads or fails with an error; never a panic.
// Whatever it accepts is written back by the Writer and read again to the
// same records (the reader accepts only what the writer can reproduce).
func FuzzReader(f *testing.F) {
	full := encode(f, story())
	f.Add(full)
	f.Add(full[:len(full)/2])
	f.Add(encode(f, story()[:1]))
	f.Add([]byte("{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := Read(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		recs := []*Record{{Kind: KindHeader, Header: &tr.Header}}
		for i := range tr.Records {
			recs = append(recs, &tr.Records[i])
		}
		again, err := Read(bytes.NewReader(encode(t, recs)), "again")
		if err != nil {
			t.Fatalf("re-encoded trace does not read: %v", err)
		}
		if !reflect.DeepEqual(again.Header, tr.Header) || len(again.Records) != len(tr.Records) || again.Complete != tr.Complete {
			t.Fatalf("round trip changed the trace")
		}
		for i := range tr.Records {
			if !reflect.DeepEqual(again.Records[i], tr.Records[i]) {
				t.Fatalf("record %d changed: %+v vs %+v", i, again.Records[i], tr.Records[i])
			}
		}
	})
}
