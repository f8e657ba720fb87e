package benchdata

// Name pools for believable guests: Chinese names with their pinyin (for e-mail
// addresses) and common English-language names.

type zhName struct{ han, pinyin string }

var zhFamily = []zhName{
	{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"},
	{"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"},
	{"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"高", "gao"},
	{"林", "lin"}, {"罗", "luo"}, {"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"},
	{"唐", "tang"}, {"许", "xu"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"},
	{"彭", "peng"}, {"曾", "zeng"}, {"肖", "xiao"}, {"田", "tian"}, {"董", "dong"}, {"丁", "ding"},
	{"欧阳", "ouyang"}, {"司马", "sima"},
}

var zhGiven = []zhName{
	{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"},
	{"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"},
	{"杰", "jie"}, {"娟", "juan"}, {"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"秀英", "xiuying"},
	{"霞", "xia"}, {"平", "ping"}, {"刚", "gang"}, {"桂英", "guiying"}, {"建华", "jianhua"},
	{"晓明", "xiaoming"}, {"海燕", "haiyan"}, {"志强", "zhiqiang"}, {"雪梅", "xuemei"}, {"子涵", "zihan"},
	{"浩然", "haoran"}, {"一诺", "yinuo"}, {"思远", "siyuan"}, {"欣怡", "xinyi"},
}

var enFamily = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martin",
	"Thompson", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "White", "Harris", "Clark",
	"Lewis", "Walker", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
	"Müller", "Schmidt", "Dubois", "Rossi", "Tanaka", "Suzuki", "Kim", "Park", "Nguyen", "O'Brien",
}

var enGiven = []string{
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
	"Elizabeth", "William", "Barbara", "Richard", "Susan", "Thomas", "Emma", "Olivia", "Noah",
	"Sophie", "Lucas", "Hiroshi", "Yuki", "Min-jun", "Anna", "Pierre", "Giulia", "Hans", "Sara",
}

var enTimeZones = []string{"Europe/London", "America/New_York", "Europe/Paris", "Asia/Tokyo",
	"Asia/Singapore", "Australia/Sydney", "America/Los_Angeles", "Europe/Berlin", ""}

var emailDomains = []string{"example.com", "example.cn", "example.org", "example.net"}

// Preference pools.
var (
	views       = []string{"river", "city", "park", "garden", ""}
	breakfasts  = []string{"buffet", "in room: fruit platter", "congee, early (6:30)", "soy milk and youtiao", "continental, late", ""}
	dietaries   = []string{"vegetarian", "no pork", "halal", "gluten free", "no beef", "low salt"}
	amenities   = []string{"extra pillow", "oat milk in minibar", "still water", "slippers", "humidifier", "green tea"}
	laundries   = []string{"soap only, no detergent", "hang silk, do not tumble dry", "press shirts", ""}
	roomFeature = []string{"internet", "bathtub", "hypoallergenic"}
	allergens   = []struct{ allergen, severity, instructions string }{
		{"laundry detergent", "moderate", "wash clothes with soap only"},
		{"feathers", "severe", "no down pillows or duvets; hypoallergenic bedding only"},
		{"peanuts", "severe", "no nuts in the minibar or welcome amenity"},
		{"shellfish", "moderate", "inform the kitchen for every meal"},
		{"dust", "mild", "extra vacuuming before arrival"},
	}
	notes = []string{"Prefers a late check-out.", "Travels with a small dog.", "Always asks for the newspaper.",
		"Likes the room cool (20°C).", "偏好安静的房间,不要靠近电梯。", "早餐喜欢清淡。"}
	complaints = []string{"Air conditioning was noisy at night.", "Breakfast was cold.", "房间有烟味。",
		"Wi-Fi kept dropping.", "等待入住时间太长。", "Housekeeping skipped the room."}
)
