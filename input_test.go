package samrad_test

import (
	"strings"
	"testing"

	"github.com/samrad/samrad"
)

func TestParseTags(t *testing.T) {
	tags, err := samrad.ParseTags(" Grønt skifte,transport ,  grønt   SKIFTE,,")
	if err != nil || strings.Join(tags, "|") != "grønt skifte|transport" {
		t.Errorf("tags = %q, %v", tags, err)
	}
	if _, err := samrad.ParseTags(strings.Repeat("x", 41)); samrad.ErrorCode(err) != samrad.EINVALID {
		t.Errorf("a long tag: %v", err)
	}
}
