package popolotest

import (
	"encoding/json"
	"strings"
	"testing"
)

// Good objects pass; each broken one fails with the path of what is wrong.
func TestValidator(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		schema, obj, want string
	}{
		{"person.json", `{"id":"person/1","name":"Lisbeth Hammer Krog","links":[{"url":"https://example.no/p/1"}]}`, ""},
		{"organization.json", `{"id":"org/3024","name":"Bærum","identifiers":[{"identifier":"3024","scheme":"kommunenummer"}],"founding_date":"2020-01-01"}`, ""},
		{"vote_event.json", `{"id":"ve/1","motion_id":"m/1","start_date":"2017-09-14T10:00:00+02:00","counts":[{"option":"yes","value":3}],"votes":[{"id":"v/1","option":"yes","weight":120000}]}`, ""},
		{"membership.json", `{"id":"s/1","person_id":"p/1","organization_id":"b/1","start_date":"2017-07"}`, ""},
		{"person.json", `{"id":3}`, `person.json.id: want type`},
		{"organization.json", `{"identifiers":[{"scheme":"kommunenummer"}]}`, `organization.json.identifiers[0]: required "identifier" missing`},
		{"organization.json", `{"founding_date":"1. januar 2020"}`, `organization.json.founding_date: "1. januar 2020" does not match`},
		{"vote_event.json", `{"start_date":"2017-09-14 10:00"}`, `vote_event.json.start_date`},
		{"vote_event.json", `{"counts":[{"option":"yes","value":1.5}]}`, `vote_event.json.counts[0].value: want type`},
		{"person.json", `{"links":[{"url":"example.no"}]}`, `person.json.links[0].url: "example.no" is not an absolute URI`},
		{"person.json", `{"email":"not an address"}`, `person.json.email: "not an address" is not an e-mail address`},
		{"membership.json", `{"person":{"name":5}}`, `membership.json.person.name: want type`},
	}
	for _, c := range cases {
		var obj any
		if err := json.Unmarshal([]byte(c.obj), &obj); err != nil {
			t.Fatal(err)
		}
		errs := strings.Join(v.Validate(c.schema, obj), "; ")
		if (c.want == "") != (errs == "") || !strings.Contains(errs, c.want) {
			t.Errorf("%s %s: errors %q, want %q", c.schema, c.obj, errs, c.want)
		}
	}
}
