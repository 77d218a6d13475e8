package yamlfile

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseOne reads exactly one YAML document into a node tree. An empty file
// is an empty mapping (every default). what names the file's kind in the
// error for a second document ("scenario", "sweep").
func ParseOne(filename string, data []byte, what string) (*yaml.Node, *Error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return emptyMap(), nil
		}
		return nil, syntaxError(filename, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := 0
		if err == nil {
			line = extra.Line
		}
		return nil, &Error{File: filename, Line: line, Column: 1, Problem: "has more than one YAML document",
			Hint: "keep one " + what + " per file (remove the second '---')"}
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return emptyMap(), nil
		}
		return doc.Content[0], nil
	}
	return &doc, nil
}

func emptyMap() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError places the YAML library's message ("yaml: line 3: …") on its line.
func syntaxError(filename string, err error) *Error {
	const hint = "check the indentation and the ':' after each key"
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: filename, Line: line, Column: 1, Problem: "is not valid YAML: " + m[2], Hint: hint}
	}
	return &Error{File: filename, Problem: "is not valid YAML: " + strings.TrimPrefix(msg, "yaml: "), Hint: hint}
}
