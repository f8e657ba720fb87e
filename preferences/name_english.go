package preferences

import (
	"strings"
	"unicode"
)

// AddressName is how the guest is addressed in text written in lang (zh or en): the
// salutation as recorded in Chinese, and in English the salutation rendered in English
// when it was recorded in Chinese ("丁总" → "Mr. Ding", "李女士" → "Ms. Li"). It falls back to
// the recorded display name when no English form can be made.
func AddressName(g Guest, lang string) string {
	if lang != LangZH {
		if en := EnglishSalutation(g); en != "" {
			return en
		}
	}
	return g.DisplayName()
}

// EnglishSalutation renders a Chinese salutation for English text: "Mr.", "Ms.", "Mrs.",
// "Dr." or "Prof." and the family name in pinyin. The honorific comes from the Chinese
// title when it says it (先生, 女士, 小姐, 太太, 夫人, 博士, 医生, 教授); for titles that do
// not (总, 经理, 老师, …) or no salutation at all, from the sex digit of the guest's
// resident ID (the 17th character, which is the third of the last four kept). It returns
// the salutation unchanged when it has no Chinese in it, and "" when no English form can
// be made (an unknown family name, or no way to tell Mr. from Ms.).
func EnglishSalutation(g Guest) string {
	if g.Salutation != "" && !hasHan(g.Salutation) {
		return g.Salutation
	}
	family, title := splitSalutation(g)
	if family == "" {
		return ""
	}
	var pinyin string
	if hasHan(family) {
		pinyin = surnamePinyin[family]
	} else {
		pinyin = family
	}
	if pinyin == "" {
		return ""
	}
	honorific := titleHonorific[title]
	if honorific == "" {
		honorific = residentIDHonorific(g.Documents)
	}
	if honorific == "" {
		return ""
	}
	return honorific + " " + pinyin
}

// splitSalutation finds the family name and the title in a Chinese salutation ("丁总" →
// "丁", "总"); without a salutation the family name is the guest's and the title empty.
// It returns "" for a salutation it cannot read.
func splitSalutation(g Guest) (family, title string) {
	s := strings.TrimSpace(g.Salutation)
	if s == "" {
		return strings.TrimSpace(g.FamilyName), ""
	}
	if f := strings.TrimSpace(g.FamilyName); f != "" && strings.HasPrefix(s, f) {
		return f, strings.TrimSpace(strings.TrimPrefix(s, f))
	}
	// A family name recorded otherwise ("Ding"): read it from the salutation, compound
	// surnames first (欧阳, 司马, …), when what follows is a title that says who they are.
	r := []rune(s)
	for _, n := range []int{2, 1} {
		if len(r) > n && surnamePinyin[string(r[:n])] != "" && titleHonorific[string(r[n:])] != "" {
			return string(r[:n]), string(r[n:])
		}
	}
	return "", ""
}

// residentIDHonorific reads "Mr." or "Ms." from the sex digit of a Chinese resident ID
// (odd for men, even for women), or "" without one.
func residentIDHonorific(docs []Document) string {
	for _, d := range docs {
		if d.Type != DocCNResidentID || len(d.Last4) != 4 {
			continue
		}
		c := rune(d.Last4[2])
		if !unicode.IsDigit(c) {
			continue
		}
		if (c-'0')%2 == 1 {
			return "Mr."
		}
		return "Ms."
	}
	return ""
}

// titleHonorific maps the Chinese titles that say who the guest is to English honorifics.
var titleHonorific = map[string]string{
	"先生": "Mr.", "女士": "Ms.", "小姐": "Ms.", "太太": "Mrs.", "夫人": "Mrs.",
	"博士": "Dr.", "医生": "Dr.", "大夫": "Dr.", "教授": "Prof.",
}

// surnamePinyin holds the common Chinese family names in Hanyu Pinyin, as written in
// passports (吕 is Lyu).
var surnamePinyin = map[string]string{
	"欧阳": "Ouyang", "司马": "Sima", "上官": "Shangguan", "诸葛": "Zhuge", "东方": "Dongfang",
	"皇甫": "Huangfu", "令狐": "Linghu", "慕容": "Murong", "尉迟": "Yuchi", "公孙": "Gongsun",
	"夏侯": "Xiahou", "端木": "Duanmu", "长孙": "Zhangsun", "宇文": "Yuwen", "司徒": "Situ",
	"西门": "Ximen", "独孤": "Dugu", "南宫": "Nangong",
	"王": "Wang", "李": "Li", "张": "Zhang", "刘": "Liu", "陈": "Chen", "杨": "Yang", "黄": "Huang",
	"赵": "Zhao", "吴": "Wu", "周": "Zhou", "徐": "Xu", "孙": "Sun", "马": "Ma", "朱": "Zhu",
	"胡": "Hu", "郭": "Guo", "何": "He", "高": "Gao", "林": "Lin", "罗": "Luo", "郑": "Zheng",
	"梁": "Liang", "谢": "Xie", "宋": "Song", "唐": "Tang", "许": "Xu", "韩": "Han", "冯": "Feng",
	"邓": "Deng", "曹": "Cao", "彭": "Peng", "曾": "Zeng", "肖": "Xiao", "田": "Tian", "董": "Dong",
	"袁": "Yuan", "潘": "Pan", "于": "Yu", "蒋": "Jiang", "蔡": "Cai", "余": "Yu", "杜": "Du",
	"叶": "Ye", "程": "Cheng", "苏": "Su", "魏": "Wei", "吕": "Lyu", "丁": "Ding", "任": "Ren",
	"沈": "Shen", "姚": "Yao", "卢": "Lu", "姜": "Jiang", "崔": "Cui", "钟": "Zhong", "谭": "Tan",
	"陆": "Lu", "汪": "Wang", "范": "Fan", "金": "Jin", "石": "Shi", "廖": "Liao", "贾": "Jia",
	"夏": "Xia", "韦": "Wei", "付": "Fu", "傅": "Fu", "方": "Fang", "白": "Bai", "邹": "Zou",
	"孟": "Meng", "熊": "Xiong", "秦": "Qin", "邱": "Qiu", "江": "Jiang", "尹": "Yin", "薛": "Xue",
	"闫": "Yan", "阎": "Yan", "段": "Duan", "雷": "Lei", "侯": "Hou", "龙": "Long", "史": "Shi",
	"陶": "Tao", "黎": "Li", "贺": "He", "顾": "Gu", "毛": "Mao", "郝": "Hao", "龚": "Gong",
	"邵": "Shao", "万": "Wan", "钱": "Qian", "严": "Yan", "覃": "Qin", "武": "Wu", "戴": "Dai",
	"莫": "Mo", "孔": "Kong", "向": "Xiang", "汤": "Tang", "常": "Chang", "温": "Wen", "康": "Kang",
	"施": "Shi", "文": "Wen", "牛": "Niu", "樊": "Fan", "葛": "Ge", "邢": "Xing", "安": "An",
	"齐": "Qi", "易": "Yi", "乔": "Qiao", "伍": "Wu", "庞": "Pang", "颜": "Yan", "倪": "Ni",
	"庄": "Zhuang", "聂": "Nie", "章": "Zhang", "鲁": "Lu", "岳": "Yue", "翟": "Zhai", "殷": "Yin",
	"詹": "Zhan", "申": "Shen", "欧": "Ou", "耿": "Geng", "关": "Guan", "兰": "Lan", "焦": "Jiao",
	"俞": "Yu", "左": "Zuo", "柳": "Liu", "甘": "Gan", "祝": "Zhu", "包": "Bao", "宁": "Ning",
	"尚": "Shang", "符": "Fu", "舒": "Shu", "阮": "Ruan", "柯": "Ke", "纪": "Ji", "梅": "Mei",
	"童": "Tong", "凌": "Ling", "毕": "Bi", "单": "Shan", "季": "Ji", "裴": "Pei", "霍": "Huo",
	"涂": "Tu", "成": "Cheng", "苗": "Miao", "谷": "Gu", "盛": "Sheng", "曲": "Qu", "翁": "Weng",
	"冉": "Ran", "骆": "Luo", "蓝": "Lan", "路": "Lu", "游": "You", "辛": "Xin", "靳": "Jin",
	"管": "Guan", "柴": "Chai", "蒙": "Meng", "鲍": "Bao", "华": "Hua", "喻": "Yu", "祁": "Qi",
	"蒲": "Pu", "房": "Fang", "滕": "Teng", "屈": "Qu", "饶": "Rao", "解": "Xie", "牟": "Mou",
	"艾": "Ai", "尤": "You", "阳": "Yang", "时": "Shi", "穆": "Mu", "农": "Nong", "司": "Si",
	"卓": "Zhuo", "古": "Gu", "吉": "Ji", "缪": "Miao", "简": "Jian", "车": "Che", "项": "Xiang",
	"连": "Lian", "麦": "Mai", "褚": "Chu", "娄": "Lou", "窦": "Dou", "戚": "Qi", "岑": "Cen",
	"景": "Jing", "党": "Dang", "宫": "Gong", "费": "Fei", "卜": "Bu", "冷": "Leng", "晏": "Yan",
	"席": "Xi", "卫": "Wei", "米": "Mi", "柏": "Bai", "宗": "Zong", "瞿": "Qu", "桂": "Gui",
	"全": "Quan", "佟": "Tong", "应": "Ying", "臧": "Zang", "闵": "Min", "苟": "Gou", "邬": "Wu",
	"边": "Bian", "卞": "Bian", "姬": "Ji", "师": "Shi", "栾": "Luan", "隋": "Sui", "商": "Shang",
	"刁": "Diao", "沙": "Sha", "荣": "Rong", "巫": "Wu", "寇": "Kou", "桑": "Sang", "郎": "Lang",
	"甄": "Zhen", "丛": "Cong", "仲": "Zhong", "虞": "Yu", "敖": "Ao", "巩": "Gong", "明": "Ming",
	"池": "Chi", "迟": "Chi", "邝": "Kuang", "封": "Feng", "谈": "Tan", "匡": "Kuang", "鞠": "Ju",
	"惠": "Hui", "荆": "Jing", "冀": "Ji", "郁": "Yu", "胥": "Xu", "南": "Nan", "储": "Chu",
	"楚": "Chu", "燕": "Yan", "劳": "Lao", "奚": "Xi", "皮": "Pi", "冼": "Xian", "蔺": "Lin",
	"楼": "Lou", "闻": "Wen", "伊": "Yi", "权": "Quan", "强": "Qiang", "帅": "Shuai", "屠": "Tu",
	"朴": "Piao", "禹": "Yu", "祖": "Zu", "丰": "Feng", "国": "Guo", "狄": "Di", "平": "Ping",
	"宣": "Xuan", "晋": "Jin", "云": "Yun", "容": "Rong", "芮": "Rui", "戈": "Ge", "鹿": "Lu",
	"雍": "Yong", "辜": "Gu", "裘": "Qiu", "修": "Xiu", "赫": "He", "杭": "Hang", "诸": "Zhu",
	"慕": "Mu", "戎": "Rong", "茅": "Mao",
}

// FamilyNameLen is how many characters of a Chinese name written in full (丁伟, 欧阳修) are
// its family name: two for a known compound family name, else one.
func FamilyNameLen(name string) int {
	if r := []rune(name); len(r) > 2 && surnamePinyin[string(r[:2])] != "" {
		return 2
	}
	return 1
}
