package demodata

// This file holds the places: Georgia's regions and towns, the remote
// communities, and the partners' countries and cities. Coordinates are the
// towns' centres in decimal degrees (WGS 84), to about a kilometre.

// The regions of Georgia, as the Region column spells them.
const (
	regTbilisi          = "Tbilisi"
	regAdjara           = "Adjara"
	regGuria            = "Guria"
	regImereti          = "Imereti"
	regKakheti          = "Kakheti"
	regKvemoKartli      = "Kvemo Kartli"
	regMtskhetaMtianeti = "Mtskheta-Mtianeti"
	regRacha            = "Racha-Lechkhumi and Kvemo Svaneti"
	regSamegrelo        = "Samegrelo-Zemo Svaneti"
	regSamtskhe         = "Samtskhe-Javakheti"
	regShidaKartli      = "Shida Kartli"
)

// regionNames lists Georgia's regions outside the capital, in the order
// regional CSOs are spread over them first, so that every region has one
// as soon as there are as many CSOs as regions.
var regionNames = []string{
	regAdjara, regGuria, regImereti, regKakheti, regKvemoKartli, regMtskhetaMtianeti,
	regRacha, regSamegrelo, regSamtskhe, regShidaKartli,
}

// town is a place where participants and organisations live.
type town struct {
	region string
	name   string // Latin, as the City column spells it
	ka     string // in Georgian script, for organisation names
	lat    float64
	lon    float64
	// weight is the town's share of the participants living in its part of
	// the country (the capital, or the regions): about the square root of
	// its municipality's population, so that small towns are not drowned
	// out by Batumi and Kutaisi, as an outreach programme intends.
	weight float64
	// hy and az are the shares of people taking part from the town whose
	// first language is Armenian or Azerbaijani (after the 2014 census,
	// rounded).
	hy, az float64
}

// tbilisiTowns are districts of the capital. All are "Tbilisi" in the City
// column; the separate centres spread people over the city.
var tbilisiTowns = []town{
	{regTbilisi, "Tbilisi", "თბილისი", 41.6938, 44.8015, 1, 0.04, 0.02}, // Old Tbilisi
	{regTbilisi, "Tbilisi", "თბილისი", 41.7100, 44.7590, 1, 0.01, 0},    // Vake
	{regTbilisi, "Tbilisi", "თბილისი", 41.7270, 44.7550, 1, 0.02, 0},    // Saburtalo
	{regTbilisi, "Tbilisi", "თბილისი", 41.7470, 44.7800, 1, 0.03, 0.01}, // Didube
	{regTbilisi, "Tbilisi", "თბილისი", 41.7950, 44.8300, 1, 0.03, 0.01}, // Gldani
	{regTbilisi, "Tbilisi", "თბილისი", 41.6900, 44.8420, 1, 0.06, 0.02}, // Isani
	{regTbilisi, "Tbilisi", "თბილისი", 41.6750, 44.8800, 1, 0.03, 0.03}, // Samgori
}

// regionalTowns are the towns of the regions, at least three per region.
var regionalTowns = []town{
	{regAdjara, "Batumi", "ბათუმი", 41.6168, 41.6367, 13, 0, 0},
	{regAdjara, "Kobuleti", "ქობულეთი", 41.8214, 41.7792, 4.5, 0, 0},
	{regAdjara, "Khulo", "ხულო", 41.6436, 42.3036, 2.2, 0, 0},
	{regAdjara, "Keda", "ქედა", 41.6017, 41.9397, 1.8, 0, 0},
	{regAdjara, "Shuakhevi", "შუახევი", 41.6294, 42.1906, 1.8, 0, 0},

	{regGuria, "Ozurgeti", "ოზურგეთი", 41.9244, 42.0069, 8, 0, 0},
	{regGuria, "Lanchkhuti", "ლანჩხუთი", 42.0881, 42.0328, 5.6, 0, 0},
	{regGuria, "Chokhatauri", "ჩოხატაური", 41.9989, 42.2547, 4.4, 0, 0},

	{regImereti, "Kutaisi", "ქუთაისი", 42.2679, 42.6946, 12, 0, 0},
	{regImereti, "Zestaponi", "ზესტაფონი", 42.1100, 43.0300, 7.4, 0, 0},
	{regImereti, "Samtredia", "სამტრედია", 42.1542, 42.3417, 6.7, 0, 0},
	{regImereti, "Chiatura", "ჭიათურა", 42.2900, 43.2800, 6.2, 0, 0},
	{regImereti, "Sachkhere", "საჩხერე", 42.3450, 43.4180, 6, 0, 0},
	{regImereti, "Tkibuli", "ტყიბული", 42.3507, 42.9983, 4.5, 0, 0},

	{regKakheti, "Telavi", "თელავი", 41.9198, 45.4731, 6.2, 0, 0},
	{regKakheti, "Gurjaani", "გურჯაანი", 41.7431, 45.8017, 7.4, 0, 0},
	{regKakheti, "Sagarejo", "საგარეჯო", 41.7333, 45.3333, 7.1, 0, 0.30},
	{regKakheti, "Lagodekhi", "ლაგოდეხი", 41.8267, 46.2767, 6.5, 0, 0.20},
	{regKakheti, "Sighnaghi", "სიღნაღი", 41.6197, 45.9222, 5.5, 0, 0},
	{regKakheti, "Akhmeta", "ახმეტა", 42.0311, 45.2075, 5.6, 0, 0},
	{regKakheti, "Kvareli", "ყვარელი", 41.9486, 45.8094, 5.4, 0, 0},
	{regKakheti, "Dedoplistskaro", "დედოფლისწყარო", 41.4647, 46.1036, 4.6, 0, 0},

	{regKvemoKartli, "Rustavi", "რუსთავი", 41.5495, 44.9934, 11.2, 0.01, 0.05},
	{regKvemoKartli, "Marneuli", "მარნეული", 41.4759, 44.8082, 10.2, 0.07, 0.83},
	{regKvemoKartli, "Gardabani", "გარდაბანი", 41.4606, 45.0928, 9, 0.01, 0.44},
	{regKvemoKartli, "Bolnisi", "ბოლნისი", 41.4478, 44.5389, 7.3, 0.05, 0.63},
	{regKvemoKartli, "Dmanisi", "დმანისი", 41.3306, 44.2036, 4.5, 0, 0.65},
	{regKvemoKartli, "Tetritskaro", "თეთრიწყარო", 41.5444, 44.4611, 4.6, 0.07, 0.05},
	{regKvemoKartli, "Tsalka", "წალკა", 41.5944, 44.0889, 4.2, 0.38, 0.10},

	{regMtskhetaMtianeti, "Mtskheta", "მცხეთა", 41.8456, 44.7208, 7.3, 0, 0},
	{regMtskhetaMtianeti, "Dusheti", "დუშეთი", 42.0853, 44.6967, 5, 0, 0},
	{regMtskhetaMtianeti, "Tianeti", "თიანეთი", 42.1086, 44.9708, 3.1, 0, 0},
	{regMtskhetaMtianeti, "Stepantsminda", "სტეფანწმინდა", 42.6570, 44.6430, 2, 0, 0},
	{regMtskhetaMtianeti, "Pasanauri", "ფასანაური", 42.3500, 44.6900, 2, 0, 0},

	{regRacha, "Ambrolauri", "ამბროლაური", 42.5206, 43.1625, 3.3, 0, 0},
	{regRacha, "Oni", "ონი", 42.5794, 43.4425, 2.5, 0, 0},
	{regRacha, "Tsageri", "ცაგერი", 42.6481, 42.7681, 3.2, 0, 0},
	{regRacha, "Lentekhi", "ლენტეხი", 42.7889, 42.7222, 2, 0, 0},

	{regSamegrelo, "Zugdidi", "ზუგდიდი", 42.5088, 41.8709, 10.2, 0, 0},
	{regSamegrelo, "Poti", "ფოთი", 42.1462, 41.6719, 6.4, 0, 0},
	{regSamegrelo, "Senaki", "სენაკი", 42.2700, 42.0678, 6.3, 0, 0},
	{regSamegrelo, "Martvili", "მარტვილი", 42.4140, 42.3790, 5.7, 0, 0},
	{regSamegrelo, "Khobi", "ხობი", 42.3156, 41.8981, 5.5, 0, 0},
	{regSamegrelo, "Mestia", "მესტია", 43.0458, 42.7275, 3, 0, 0},

	{regSamtskhe, "Akhaltsikhe", "ახალციხე", 41.6390, 42.9826, 6.2, 0.35, 0},
	{regSamtskhe, "Akhalkalaki", "ახალქალაქი", 41.4053, 43.4861, 6.7, 0.90, 0},
	{regSamtskhe, "Ninotsminda", "ნინოწმინდა", 41.2647, 43.5919, 4.9, 0.95, 0},
	{regSamtskhe, "Borjomi", "ბორჯომი", 41.8391, 43.3792, 5, 0.05, 0},
	{regSamtskhe, "Aspindza", "ასპინძა", 41.5736, 43.2483, 3.2, 0.10, 0},
	{regSamtskhe, "Adigeni", "ადიგენი", 41.6820, 42.6990, 4, 0, 0},

	{regShidaKartli, "Gori", "გორი", 41.9842, 44.1158, 11, 0, 0},
	{regShidaKartli, "Khashuri", "ხაშური", 41.9944, 43.5989, 7.2, 0, 0},
	{regShidaKartli, "Kaspi", "კასპი", 41.9253, 44.4250, 6.6, 0, 0},
	{regShidaKartli, "Kareli", "ქარელი", 42.0206, 43.8964, 6.5, 0, 0},
}

// communitySite is a remote village or small town that asks for visits.
type communitySite struct {
	region string
	name   string // in Georgian script, as local people write it
	lat    float64
	lon    float64
	need   string // the need it is known for; more are drawn at random
}

// communitySites are the remote communities, ordered so that any prefix of
// forty or more covers every highland area the programme visits.
var communitySites = []communitySite{
	{regSamegrelo, "უშგული", 42.9169, 43.0147, "tourism"},
	{regKakheti, "ომალო", 42.3747, 45.6322, "rural-development"},
	{regRacha, "შოვი", 42.7036, 43.6869, "tourism"},
	{regSamtskhe, "ფოკა", 41.3960, 43.7950, "minority-rights"},
	{regKvemoKartli, "სადახლო", 41.2460, 44.8040, "minority-rights"},
	{regGuria, "ბახმარო", 41.8520, 42.3180, "tourism"},
	{regAdjara, "ბეშუმი", 41.6200, 42.5300, "rural-development"},
	{regMtskhetaMtianeti, "შატილი", 42.6586, 45.1586, "rural-development"},
	{regSamegrelo, "ბეჩო", 43.0500, 42.5400, "youth-participation"},
	{regKakheti, "დართლო", 42.4100, 45.5500, "water"},
	{regRacha, "ღები", 42.7500, 43.4900, "public-health"},
	{regSamtskhe, "განძა", 41.3160, 43.6300, "civic-education"},
	{regKvemoKartli, "შულავერი", 41.3500, 44.7900, "civic-education"},
	{regGuria, "შემოქმედი", 41.9050, 42.0600, "rural-development"},
	{regAdjara, "ღორჯომი", 41.6900, 42.3600, "public-health"},
	{regMtskhetaMtianeti, "სნო", 42.6050, 44.6350, "youth-participation"},
	{regSamegrelo, "ლატალი", 43.0200, 42.6100, "environment"},
	{regKakheti, "შენაქო", 42.3770, 45.6640, "digital-skills"},
	{regRacha, "გლოლა", 42.7250, 43.6400, "environment"},
	{regSamtskhe, "გორელოვკა", 41.2930, 43.7730, "minority-rights"},
	{regKvemoKartli, "კაზრეთი", 41.3850, 44.4050, "environment"},
	{regGuria, "ნასაკირალი", 41.9800, 42.0800, "youth-participation"},
	{regAdjara, "დანისპარაული", 41.5900, 42.4000, "gender-equality"},
	{regMtskhetaMtianeti, "ჯუთა", 42.5790, 44.7430, "tourism"},
	{regSamegrelo, "ლენჯერი", 43.0410, 42.7500, "local-governance"},
	{regKakheti, "დუისი", 42.1450, 45.2150, "gender-equality"},
	{regRacha, "უწერა", 42.6250, 43.5400, "rural-development"},
	{regSamtskhe, "ხერთვისი", 41.4800, 43.2850, "tourism"},
	{regKvemoKartli, "ბეშთაშენი", 41.6400, 44.1000, "local-governance"},
	{regAdjara, "მერისი", 41.5830, 41.9170, "water"},
	{regImereti, "კაცხი", 42.2880, 43.2170, "youth-participation"},
	{regShidaKartli, "ატენი", 41.8950, 44.0850, "rural-development"},
	{regSamegrelo, "ხაიში", 42.9500, 42.1900, "disability-inclusion"},
	{regKakheti, "უდაბნო", 41.5000, 45.3700, "water"},
	{regRacha, "ნიკორწმინდა", 42.4650, 43.1100, "civic-education"},
	{regSamtskhe, "ბაკურიანი", 41.7500, 43.5300, "environment"},
	{regMtskhetaMtianeti, "ბარისახო", 42.5300, 44.9700, "public-health"},
	{regRacha, "ლაილაში", 42.6000, 42.8500, "local-governance"},
	{regSamegrelo, "ჯვარი", 42.7167, 42.0500, "migration"},
	{regImereti, "ხარაგაული", 42.0200, 43.1960, "public-health"},
	{regShidaKartli, "სურამი", 42.0230, 43.5560, "disability-inclusion"},
	{regKakheti, "შილდა", 41.9750, 45.7000, "media-literacy"},
	{regSamtskhe, "ვალე", 41.6150, 42.8700, "legal-aid"},
	{regMtskhetaMtianeti, "ჟინვალი", 42.1100, 44.7700, "legal-aid"},
	{regKvemoKartli, "თრიალეთი", 41.5500, 44.0600, "rural-development"},
}

// country is a partner country: its code, zone and working languages.
type country struct {
	code string // ISO 3166-1 alpha-2
	zone string // IANA time zone of the capital
	lang string // the national language, ISO 639-1
	// extra are languages partners there often also work in, each with the
	// share of partners that do (English is given to every partner).
	extra []langShare
}

// langShare is a language and the share of a group that speaks it.
type langShare struct {
	code  string
	share float64
}

// The partner countries.
var (
	ukraine   = &country{"UA", "Europe/Kyiv", "uk", []langShare{{"ru", 0.6}, {"pl", 0.1}}}
	poland    = &country{"PL", "Europe/Warsaw", "pl", []langShare{{"uk", 0.2}, {"ru", 0.1}, {"de", 0.15}}}
	moldova   = &country{"MD", "Europe/Chisinau", "ro", []langShare{{"ru", 0.9}}}
	armenia   = &country{"AM", "Asia/Yerevan", "hy", []langShare{{"ru", 0.8}, {"ka", 0.1}}}
	romania   = &country{"RO", "Europe/Bucharest", "ro", []langShare{{"fr", 0.2}}}
	lithuania = &country{"LT", "Europe/Vilnius", "lt", []langShare{{"ru", 0.4}, {"pl", 0.1}}}
	latvia    = &country{"LV", "Europe/Riga", "lv", []langShare{{"ru", 0.5}}}
	estonia   = &country{"EE", "Europe/Tallinn", "et", []langShare{{"ru", 0.4}, {"fi", 0.1}}}
	czechia   = &country{"CZ", "Europe/Prague", "cs", []langShare{{"sk", 0.2}, {"de", 0.1}}}
	slovakia  = &country{"SK", "Europe/Bratislava", "sk", []langShare{{"cs", 0.3}, {"hu", 0.1}}}
)

// partnerCountries is the order partners are spread over the countries:
// those with three or more partner templates first, so that the demo's 25
// partners use no template twice.
var partnerCountries = []*country{ukraine, poland, moldova, armenia, romania, lithuania, latvia, estonia, czechia, slovakia}

// partnerSite is a partner organisation abroad, before its themes and
// places are drawn.
type partnerSite struct {
	country *country
	region  string
	city    string
	lat     float64
	lon     float64
	name    string // in the country's language
	slug    string // ASCII, for the e-mail domain
	intl    bool   // sector international rather than cso
}

// partnerSites are the partner templates, grouped by country.
var partnerSites = []partnerSite{
	{ukraine, "Kyiv", "Kyiv", 50.4501, 30.5234, "Центр громадянської освіти «Крок»", "krok-kyiv", false},
	{ukraine, "Lviv Oblast", "Lviv", 49.8397, 24.0297, "Львівська молодіжна платформа", "youth-platform-lviv", false},
	{ukraine, "Kharkiv Oblast", "Kharkiv", 49.9935, 36.2304, "Харківська правозахисна ініціатива", "rights-initiative-kharkiv", false},
	{ukraine, "Odesa Oblast", "Odesa", 46.4825, 30.7233, "Одеський центр місцевого розвитку", "local-development-odesa", true},

	{poland, "Mazowieckie", "Warsaw", 52.2297, 21.0122, "Fundacja Dialog Warszawa", "dialog-warszawa", false},
	{poland, "Małopolskie", "Kraków", 50.0647, 19.9450, "Stowarzyszenie Młodzi Obywatele", "mlodzi-obywatele", false},
	{poland, "Lubelskie", "Lublin", 51.2465, 22.5684, "Fundacja Partnerstwo Wschodnie", "partnerstwo-wschodnie", true},

	{moldova, "Chișinău", "Chișinău", 47.0105, 28.8638, "Centrul pentru Inițiative Civice", "initiative-civice", false},
	{moldova, "Bălți", "Bălți", 47.7615, 27.9290, "Asociația Tinerilor Activi din Bălți", "tineri-activi-balti", false},
	{moldova, "Cahul", "Cahul", 45.9075, 28.1944, "Fundația Comunitară Cahul", "fundatia-cahul", true},

	{armenia, "Yerevan", "Yerevan", 40.1792, 44.4991, "Քաղաքացիական նախաձեռնությունների կենտրոն", "civic-initiatives-yerevan", false},
	{armenia, "Shirak", "Gyumri", 40.7894, 43.8475, "Gyumri Youth Initiative Centre", "youth-gyumri", false},
	{armenia, "Lori", "Vanadzor", 40.8128, 44.4883, "Vanadzor Community Development Network", "community-vanadzor", true},

	{romania, "București", "Bucharest", 44.4268, 26.1025, "Asociația pentru Educație Civică", "educatie-civica", false},
	{romania, "Cluj", "Cluj-Napoca", 46.7712, 23.6236, "Centrul de Resurse Comunitare Cluj", "resurse-comunitare-cluj", false},
	{romania, "Iași", "Iași", 47.1585, 27.6014, "Fundația Est-Europeană pentru Dialog", "dialog-est-iasi", true},

	{lithuania, "Vilnius County", "Vilnius", 54.6872, 25.2797, "Jaunimo iniciatyvų centras", "jaunimo-centras", false},
	{lithuania, "Kaunas County", "Kaunas", 54.8985, 23.9036, "Kauno bendruomenių asociacija", "bendruomenes-kaunas", true},

	{latvia, "Riga", "Riga", 56.9496, 24.1052, "Pilsoniskās sabiedrības fonds", "pilsoniska-sabiedriba", true},
	{latvia, "Latgale", "Daugavpils", 55.8747, 26.5362, "Latgales jauniešu centrs", "jauniesi-latgale", false},

	{estonia, "Harju County", "Tallinn", 59.4370, 24.7536, "Avatud Ühiskonna Keskus", "avatud-uhiskond", true},
	{estonia, "Tartu County", "Tartu", 58.3780, 26.7290, "Tartu Noorte Ühendus", "noored-tartu", false},

	{czechia, "Prague", "Prague", 50.0755, 14.4378, "Centrum pro občanskou společnost", "obcanska-spolecnost", true},
	{czechia, "South Moravian", "Brno", 49.1951, 16.6068, "Spolek Mladí občané Brno", "mladi-obcane-brno", false},

	{slovakia, "Bratislava Region", "Bratislava", 48.1486, 17.1077, "Centrum pre demokratický dialóg", "demokraticky-dialog", true},
	{slovakia, "Košice Region", "Košice", 48.7164, 21.2611, "Košická komunitná nadácia", "komunita-kosice", false},
}
