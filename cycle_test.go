package samrad_test

import (
	"testing"

	"github.com/samrad/samrad"
)

func TestUpcomingCycleSteps(t *testing.T) {
	steps := []samrad.CycleStep{
		{ID: 1, Kind: samrad.CycleAnnualReport, TitleNB: "Årsrapport", Month: 3, LastMonth: 3},
		{ID: 2, Kind: samrad.CycleFee, TitleNB: "Kontingent", Month: 5, LastMonth: 6},
		{ID: 3, Kind: samrad.CycleProgramme, TitleNB: "Handlingsprogram", Month: 11, LastMonth: 12,
			Records: map[int]samrad.CycleRecord{2025: {Year: 2025}}},
	}
	// On 1 April 2026: the annual report is overdue; the fee comes in May;
	// the programme in November.
	due := samrad.Upcoming(steps, samrad.MustDate("2026-04-01"))
	if len(due) != 3 || due[0].Step.ID != 1 || !due[0].Overdue || due[1].Step.ID != 2 || due[1].To.String() != "2026-06-30" || due[2].Year != 2026 {
		t.Errorf("due = %+v", due)
	}
	// Once the report is recorded for 2026, it is next due in March 2027.
	steps[0].Records = map[int]samrad.CycleRecord{2026: {Year: 2026}}
	due = samrad.Upcoming(steps, samrad.MustDate("2026-04-01"))
	if last := due[len(due)-1]; last.Step.ID != 1 || last.Year != 2027 || last.Overdue {
		t.Errorf("after recording: %+v", due)
	}
	for _, bad := range []samrad.CycleStep{
		{Kind: "x", TitleNB: "a", Month: 1, LastMonth: 1},
		{Kind: samrad.CycleFee, TitleNB: " ", Month: 1, LastMonth: 1},
		{Kind: samrad.CycleFee, TitleNB: "a", Month: 6, LastMonth: 5},
		{Kind: samrad.CycleFee, TitleNB: "a", Month: 0, LastMonth: 5},
	} {
		if samrad.ErrorCode(bad.Validate()) != samrad.EINVALID {
			t.Errorf("%+v: want EINVALID", bad)
		}
	}
}
