package web

// YearAxis is yearAxis, for the tests of package web_test.
var YearAxis = yearAxis
