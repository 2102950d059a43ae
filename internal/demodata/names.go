package demodata

import (
	"slices"

	"github.com/khidi/khidi/internal/program"
)

// theme is one slug of the vocabulary, how often it is drawn, and the
// genitive phrase that names an organisation working on it in Georgian.
type theme struct {
	slug string
	// weight is the theme's relative popularity. The spread (ten to one)
	// makes some themes common and some rare, as in a real programme, so
	// that TF-IDF weighting of shared themes has something to weigh.
	weight float64
	ka     string // "სამოქალაქო განათლების ცენტრი" is "centre of civic education"
}

// themes is the controlled vocabulary, most popular first.
var themes = []theme{
	{"youth-participation", 10, "ახალგაზრდული ჩართულობის"},
	{"civic-education", 9, "სამოქალაქო განათლების"},
	{"environment", 8, "გარემოს დაცვის"},
	{"media-literacy", 7, "მედიაწიგნიერების"},
	{"human-rights", 7, "ადამიანის უფლებების"},
	{"local-governance", 6, "ადგილობრივი თვითმმართველობის"},
	{"gender-equality", 6, "გენდერული თანასწორობის"},
	{"rural-development", 5, "სოფლის განვითარების"},
	{"eu-integration", 5, "ევროპული ინტეგრაციის"},
	{"anti-corruption", 4, "გამჭვირვალობის"},
	{"digital-skills", 4, "ციფრული უნარების"},
	{"public-health", 3, "საზოგადოებრივი ჯანმრთელობის"},
	{"disability-inclusion", 3, "ინკლუზიური განვითარების"},
	{"minority-rights", 3, "უმცირესობათა უფლებების"},
	{"elections", 3, "არჩევნების მონიტორინგის"},
	{"legal-aid", 2, "სამართლებრივი დახმარების"},
	{"social-enterprise", 2, "სოციალური მეწარმეობის"},
	{"tourism", 2, "მდგრადი ტურიზმის"},
	{"water", 1, "წყლის რესურსების"},
	{"migration", 1, "მიგრაციის"},
}

// Themes returns the theme vocabulary of generated programmes, most
// popular first. Every theme and need that Generate writes is one of them.
func Themes() []string {
	out := make([]string, len(themes))
	for i, t := range themes {
		out[i] = t.slug
	}
	return out
}

// themeIndex returns the index of slug in themes, or -1.
func themeIndex(slug string) int {
	return slices.IndexFunc(themes, func(t theme) bool { return t.slug == slug })
}

// orgKind is the last word of an organisation's name, such as "centre".
type orgKind struct {
	ka   string
	slug string // English, for the e-mail domain
}

// orgKinds are the kinds of organisation each sector names itself after.
var orgKinds = map[program.Sector][]orgKind{
	program.SectorCSO: {
		{"ცენტრი", "centre"}, {"ასოციაცია", "association"}, {"ფონდი", "foundation"},
		{"კავშირი", "union"}, {"ქსელი", "network"}, {"ალიანსი", "alliance"},
		{"ინიციატივა", "initiative"}, {"კოალიცია", "coalition"},
	},
	program.SectorMedia:      {{"მედიაცენტრი", "media-centre"}, {"ჟურნალისტური ლაბორატორია", "journalism-lab"}, {"მედიაკლუბი", "media-club"}},
	program.SectorAcademia:   {{"კვლევითი ცენტრი", "research-centre"}, {"ინსტიტუტი", "institute"}, {"სკოლა", "school"}, {"ლაბორატორია", "lab"}},
	program.SectorPrivate:    {{"კონსალტინგ ჯგუფი", "consulting"}, {"სოციალური საწარმო", "social-venture"}, {"სტუდია", "studio"}},
	program.SectorGovernment: {{"სააგენტო", "agency"}, {"სამსახური", "service"}, {"დეპარტამენტი", "department"}},
}

// genitive returns the Georgian genitive of a town's name ("ქუთაისი" →
// "ქუთაისის"), as it stands before an organisation's name. Stems ending in
// -ი, -ა or -ე drop the vowel; those in -ო or -უ keep it and take -ს.
func genitive(name string) string {
	r := []rune(name)
	switch r[len(r)-1] {
	case 'ი', 'ა', 'ე':
		return string(r[:len(r)-1]) + "ის"
	case 'ო', 'უ':
		return name + "ს"
	}
	return name + "ის"
}

// person is a given name or surname in its own script and in ASCII, for
// e-mail addresses.
type person struct{ name, ascii string }

// Georgian names, in Georgian script, with the national transliteration.
var (
	kaFemale = []person{
		{"ნინო", "nino"}, {"მარიამ", "mariam"}, {"ანა", "ana"}, {"თამარ", "tamar"},
		{"ეკატერინე", "ekaterine"}, {"ნათია", "natia"}, {"სალომე", "salome"}, {"მაკა", "maka"},
		{"ქეთევან", "ketevan"}, {"ელენე", "elene"}, {"ლიკა", "lika"}, {"თეონა", "teona"},
		{"ნანა", "nana"}, {"სოფიო", "sopio"}, {"ხატია", "khatia"}, {"ლალი", "lali"},
		{"მარიკა", "marika"}, {"ნუცა", "nutsa"}, {"ბარბარე", "barbare"}, {"თინათინ", "tinatin"},
	}
	kaMale = []person{
		{"გიორგი", "giorgi"}, {"დავით", "davit"}, {"ლევან", "levan"}, {"ნიკა", "nika"},
		{"ზურაბ", "zurab"}, {"ლუკა", "luka"}, {"ირაკლი", "irakli"}, {"ალექსანდრე", "aleksandre"},
		{"გოგა", "goga"}, {"თორნიკე", "tornike"}, {"ბექა", "beka"}, {"დიმიტრი", "dimitri"},
		{"ვახტანგ", "vakhtang"}, {"შოთა", "shota"}, {"მამუკა", "mamuka"}, {"ლაშა", "lasha"},
		{"ოთარ", "otar"}, {"საბა", "saba"}, {"ნოდარ", "nodar"}, {"ტატო", "tato"},
	}
	kaSurnames = []person{
		{"ბერიძე", "beridze"}, {"კაპანაძე", "kapanadze"}, {"გელაშვილი", "gelashvili"},
		{"წიკლაური", "tsiklauri"}, {"მაისურაძე", "maisuradze"}, {"ლომიძე", "lomidze"},
		{"ჯაფარიძე", "japaridze"}, {"ხარაიშვილი", "kharaishvili"}, {"მამულაშვილი", "mamulashvili"},
		{"კვარაცხელია", "kvaratskhelia"}, {"ჩიქოვანი", "chikovani"}, {"გოგიბერიძე", "gogiberidze"},
		{"ნოზაძე", "nozadze"}, {"ცერცვაძე", "tsertsvadze"}, {"აბაშიძე", "abashidze"},
		{"ხუციშვილი", "khutsishvili"}, {"ქავთარაძე", "kavtaradze"}, {"ბოლქვაძე", "bolkvadze"},
		{"ჟვანია", "zhvania"}, {"დოლიძე", "dolidze"}, {"გაბუნია", "gabunia"},
		{"შენგელია", "shengelia"}, {"ტაბატაძე", "tabatadze"}, {"მესხი", "meskhi"},
		{"ფარულავა", "parulava"}, {"ჯანელიძე", "janelidze"}, {"ლორთქიფანიძე", "lortkipanidze"},
		{"ბარათაშვილი", "baratashvili"}, {"კობახიძე", "kobakhidze"}, {"გვარამია", "gvaramia"},
		{"ხერგიანი", "khergiani"}, {"გულბიანი", "gulbiani"}, {"ნიჟარაძე", "nizharadze"},
		{"ბაღათურია", "baghaturia"}, {"მჭედლიშვილი", "mchedlishvili"}, {"ზოიძე", "zoidze"},
	}
)

// Armenian names, in Armenian script, with a common Latin spelling.
var (
	hyFemale = []person{
		{"Անահիտ", "anahit"}, {"Գայանե", "gayane"}, {"Լիլիթ", "lilit"}, {"Մարիամ", "mariam"},
		{"Աննա", "anna"}, {"Արմինե", "armine"}, {"Նարինե", "narine"}, {"Սոնա", "sona"},
	}
	hyMale = []person{
		{"Արմեն", "armen"}, {"Արամ", "aram"}, {"Նարեկ", "narek"}, {"Տիգրան", "tigran"},
		{"Հովհաննես", "hovhannes"}, {"Դավիթ", "davit"}, {"Գևորգ", "gevorg"}, {"Սուրեն", "suren"},
	}
	hySurnames = []person{
		{"Պետրոսյան", "petrosyan"}, {"Հարությունյան", "harutyunyan"}, {"Գրիգորյան", "grigoryan"},
		{"Սարգսյան", "sargsyan"}, {"Հակոբյան", "hakobyan"}, {"Կարապետյան", "karapetyan"},
		{"Վարդանյան", "vardanyan"}, {"Ավետիսյան", "avetisyan"}, {"Մկրտչյան", "mkrtchyan"},
	}
)

// Azerbaijani names in the Azerbaijani Latin alphabet. Surnames are given
// in the masculine; women's take -a (Məmmədov, Məmmədova).
var (
	azFemale = []person{
		{"Aygün", "aygun"}, {"Leyla", "leyla"}, {"Günay", "gunay"}, {"Nərmin", "narmin"},
		{"Səbinə", "sabina"}, {"Aynur", "aynur"}, {"Könül", "konul"}, {"Ülviyyə", "ulviyya"},
	}
	azMale = []person{
		{"Elnur", "elnur"}, {"Rəşad", "rashad"}, {"Tural", "tural"}, {"Orxan", "orkhan"},
		{"Kamran", "kamran"}, {"Elvin", "elvin"}, {"Ramil", "ramil"}, {"Samir", "samir"},
	}
	azSurnames = []person{
		{"Məmmədov", "mammadov"}, {"Əliyev", "aliyev"}, {"Hüseynov", "huseynov"},
		{"Quliyev", "guliyev"}, {"İsmayılov", "ismayilov"}, {"Həsənov", "hasanov"},
		{"Abbasov", "abbasov"}, {"Cəfərov", "jafarov"}, {"Babayev", "babayev"},
	}
)

// ethnicity chooses the name lists and first language of a participant.
type ethnicity int

const (
	georgian ethnicity = iota
	armenian
	azerbaijani
)
