package program

import "testing"

func TestCommunityValidate(t *testing.T) {
	t.Parallel()
	good := func() *Community {
		return &Community{ID: "c-1", Name: "ზემო სვანეთი", Region: "Samegrelo-Zemo Svaneti",
			Lat: 43.05, Lon: 42.73, Needs: []string{"digital-skills"}, VisitsPerYear: 4}
	}
	tests := []struct {
		name   string
		edit   func(c *Community)
		fields []string
	}{
		{"good", func(*Community) {}, nil},
		{"weekly", func(c *Community) { c.VisitsPerYear = 52 }, nil},
		{"too many visits", func(c *Community) { c.VisitsPerYear = 53 }, []string{"visits_per_year"}},
		{"negative visits", func(c *Community) { c.VisitsPerYear = -1 }, []string{"visits_per_year"}},
		{"needs", func(c *Community) { c.Needs = []string{"Digital Skills"} }, []string{"needs[0]"}},
		{"missing", func(c *Community) { c.ID, c.Name, c.Region = "", "", "" }, []string{"id", "name", "region"}},
		{"lat", func(c *Community) { c.Lat = 90.01 }, []string{"lat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(c)
			checkFields(t, c, tt.fields...)
		})
	}
	c := good()
	c.Needs = []string{" Digital_Skills "}
	c.Normalize()
	if c.Needs[0] != "digital-skills" {
		t.Errorf("Normalize needs = %q", c.Needs)
	}
}
