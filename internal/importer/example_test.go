package importer_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/khidi/khidi/internal/importer"
	"github.com/khidi/khidi/internal/program"
)

func ExampleSet_Read() {
	const communities = `id,name,region,lat,lon,needs,visits_per_year
c-ushguli,უშგული,Samegrelo-Zemo Svaneti,42.9169,43.0147,youth-participation,4
c-tkibuli,Tkibuli,Imereti,"42,3507",42.9983,civic-education,12
c-ushguli,Ushguli,Samegrelo-Zemo Svaneti,42.9169,43.0147,,4
`
	var s importer.Set
	err := s.Read("communities.csv", strings.NewReader(communities), "")
	var problems program.ErrorList
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Println(p)
		}
	}
	fmt.Println(len(s.Communities), "community without problems:", s.Communities[0].Name)
	// Output:
	// communities.csv:3: id "c-tkibuli": field "lat": "42,3507" is not a number; use a dot as the decimal separator: 42.3507
	// communities.csv:4: id "c-ushguli": field "id": already given at communities.csv:2; give each record its own id, or delete the repeated row
	// 1 community without problems: უშგული
}
