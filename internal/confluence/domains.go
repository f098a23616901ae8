package confluence

// publicMailDomains are the domains of well-known free or consumer mail
// providers: anyone can get an address there, so a user's address in one
// says nothing about belonging to the organisation. The default member
// domains never take one. Matched exactly, in lower-case ASCII.
var publicMailDomains = setOf(
	// Google
	"gmail.com", "googlemail.com",
	// Microsoft
	"outlook.com", "outlook.fr", "outlook.de", "outlook.es", "outlook.it", "outlook.jp", "outlook.com.br",
	"hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it", "hotmail.nl",
	"hotmail.be", "hotmail.ca", "hotmail.com.au", "hotmail.com.br", "hotmail.co.jp",
	"live.com", "live.co.uk", "live.fr", "live.de", "live.nl", "live.it", "live.be", "live.ca",
	"live.com.au", "live.com.mx", "msn.com", "passport.com", "windowslive.com",
	// Yahoo and its country variants
	"yahoo.com", "yahoo.co.uk", "yahoo.co.jp", "yahoo.co.in", "yahoo.co.id", "yahoo.co.nz",
	"yahoo.co.th", "yahoo.co.za", "yahoo.co.kr", "yahoo.ca", "yahoo.com.au", "yahoo.com.br",
	"yahoo.com.mx", "yahoo.com.ar", "yahoo.com.sg", "yahoo.com.hk", "yahoo.com.tw", "yahoo.com.ph",
	"yahoo.com.vn", "yahoo.com.my", "yahoo.com.tr", "yahoo.com.cn", "yahoo.de", "yahoo.fr", "yahoo.es",
	"yahoo.it", "yahoo.ie", "yahoo.in", "yahoo.gr", "yahoo.se", "yahoo.dk", "yahoo.no", "yahoo.fi",
	"yahoo.pl", "yahoo.ro", "yahoo.at", "yahoo.be", "yahoo.ch", "yahoo.nl", "yahoo.cz", "yahoo.pt",
	"ymail.com", "rocketmail.com",
	// Apple
	"icloud.com", "me.com", "mac.com",
	// AOL
	"aol.com", "aim.com", "aol.co.uk", "aol.de", "aol.fr",
	// Proton, Tuta, Fastmail and other privacy or paid consumer mail
	"proton.me", "protonmail.com", "protonmail.ch", "pm.me",
	"tutanota.com", "tutanota.de", "tutamail.com", "tuta.io", "tuta.com", "keemail.me",
	"fastmail.com", "fastmail.fm", "hey.com", "hushmail.com", "mailbox.org", "posteo.de", "posteo.net",
	"zoho.com", "zohomail.com", "zohomail.eu",
	// GMX, web.de, mail.com (United Internet)
	"gmx.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.fr", "gmx.co.uk", "gmx.us", "gmx.es",
	"web.de", "mail.com", "email.com", "usa.com",
	// Yandex, Mail.ru, Rambler
	"yandex.com", "yandex.ru", "yandex.ua", "yandex.by", "yandex.kz", "yandex.com.tr", "ya.ru",
	"mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "rambler.ru",
	// China, Korea, India
	"qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com",
	"aliyun.com", "naver.com", "daum.net", "hanmail.net", "rediffmail.com",
	// European consumer and ISP mail
	"t-online.de", "freenet.de", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr",
	"libero.it", "virgilio.it", "tiscali.it", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl",
	"btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com", "telenet.be", "ziggo.nl",
	// North American ISP mail
	"comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net",
	"charter.net", "earthlink.net", "shaw.ca", "rogers.com", "sympatico.ca",
)

func setOf(ss ...string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
