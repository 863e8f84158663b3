"""County-level cities (县级市) by province: places an address may name right after its
province ("浙江省温岭市…") although they are no prefecture's. 温岭 is one character off 温州: an
address naming it is read as printed, not "corrected" to a prefecture (``address_check.py``).

Taken from the division codes shipped in the MIT-licensed cpca 0.5.5 package (as of about 2016),
less those already in ``cities.py`` (county-level cities under their province directly), plus
those made since that we know of (平泉, 滦州, 京山, 荔浦, 邵东, 水富, 澄江, 彬州, 子长, 旬阳,
龙港, 盘州, 兴仁, 华亭, 隆昌, 射洪, 会理, 潜山, 无为, 广德, 长垣, 同仁, 茫崖). Cities that
have since become districts stay: addresses on licences are not updated.
"""

from __future__ import annotations

from dlscan_gui.engines.local.cities import CITIES

_SHORT: dict[str, str] = {
    "河北省": (
        "晋州 新乐 遵化 迁安 武安 南宫 沙河 涿州 安国 高碑店 泊头 任丘 黄骅 "
        "河间 霸州 三河 深州 定州 辛集 平泉 滦州"
    ),
    "山西省": "古交 潞城 高平 介休 永济 河津 原平 侯马 霍州 孝义 汾阳",
    "内蒙古自治区": (
        "霍林郭勒 满洲里 牙克石 扎兰屯 额尔古纳 根河 丰镇 乌兰浩特 阿尔山 "
        "二连浩特 锡林浩特"
    ),
    "辽宁省": (
        "新民 瓦房店 庄河 海城 东港 凤城 凌海 北镇 盖州 大石桥 灯塔 调兵山 "
        "开原 北票 凌源 兴城"
    ),
    "吉林省": (
        "榆树 德惠 蛟河 桦甸 舒兰 磐石 公主岭 双辽 梅河口 集安 临江 扶余 洮南 "
        "大安 延吉 图们 敦化 珲春 龙井 和龙"
    ),
    "黑龙江省": (
        "尚志 五常 讷河 虎林 密山 铁力 同江 富锦 抚远 绥芬河 海林 宁安 穆棱 "
        "东宁 北安 五大连池 安达 肇东 海伦"
    ),
    "江苏省": (
        "江阴 宜兴 新沂 邳州 溧阳 常熟 张家港 昆山 太仓 启东 如皋 海门 东台 "
        "仪征 高邮 丹阳 扬中 句容 兴化 靖江 泰兴"
    ),
    "浙江省": (
        "建德 临安 余姚 慈溪 奉化 瑞安 乐清 海宁 平湖 桐乡 诸暨 嵊州 兰溪 "
        "义乌 东阳 永康 江山 温岭 临海 龙泉 龙港"
    ),
    "安徽省": "巢湖 桐城 天长 明光 界首 宁国 潜山 无为 广德",
    "福建省": "福清 长乐 永安 石狮 晋江 南安 龙海 邵武 武夷山 建瓯 漳平 福安 福鼎",
    "江西省": "乐平 瑞昌 共青城 庐山 贵溪 瑞金 井冈山 丰城 樟树 高安 德兴",
    "山东省": (
        "章丘 胶州 即墨 平度 莱西 滕州 龙口 莱阳 莱州 蓬莱 招远 栖霞 海阳 "
        "青州 诸城 寿光 安丘 高密 昌邑 曲阜 邹城 新泰 肥城 荣成 乳山 乐陵 "
        "禹城 临清"
    ),
    "河南省": (
        "巩义 荥阳 新密 新郑 登封 偃师 舞钢 汝州 林州 卫辉 辉县 沁阳 孟州 "
        "禹州 长葛 义马 灵宝 邓州 永城 项城 长垣"
    ),
    "湖北省": (
        "大冶 丹江口 宜都 当阳 枝江 老河口 枣阳 宜城 钟祥 应城 安陆 汉川 石首 "
        "洪湖 松滋 麻城 武穴 赤壁 广水 恩施 利川 京山"
    ),
    "湖南省": (
        "浏阳 醴陵 湘乡 韶山 耒阳 常宁 武冈 汨罗 临湘 津市 沅江 资兴 洪江 "
        "冷水江 涟源 吉首 邵东"
    ),
    "广东省": (
        "乐昌 南雄 台山 开平 鹤山 恩平 廉江 雷州 吴川 高州 化州 信宜 四会 "
        "兴宁 陆丰 阳春 英德 连州 普宁 罗定"
    ),
    "广西壮族自治区": "岑溪 东兴 桂平 北流 靖西 宜州 合山 凭祥 荔浦",
    "海南省": "五指山 琼海 文昌 万宁 东方",
    "四川省": (
        "都江堰 彭州 邛崃 崇州 简阳 广汉 什邡 绵竹 江油 峨眉山 阆中 华蓥 万源 "
        "马尔康 康定 西昌 隆昌 射洪 会理"
    ),
    "贵州省": "清镇 赤水 仁怀 兴义 凯里 都匀 福泉 盘州 兴仁",
    "云南省": (
        "安宁 宣威 腾冲 楚雄 个旧 开远 蒙自 弥勒 文山 景洪 大理 瑞丽 芒 泸水 "
        "香格里拉 水富 澄江"
    ),
    "陕西省": "兴平 韩城 华阴 彬州 子长 旬阳",
    "甘肃省": "玉门 敦煌 临夏 合作 华亭",
    "青海省": "玉树 格尔木 德令哈 同仁 茫崖",
    "宁夏回族自治区": "灵武 青铜峡",
    "新疆维吾尔自治区": (
        "昌吉 阜康 博乐 阿拉山口 库尔勒 阿克苏 阿图什 喀什 和田 伊宁 奎屯 "
        "霍尔果斯 塔城 乌苏 阿勒泰 石河子 阿拉尔 图木舒克 五家渠 铁门关"
    ),
}

COUNTY_CITIES: dict[str, tuple[str, ...]] = {
    province: tuple(name + "市" for name in _SHORT.get(province, "").split())
    for province in CITIES
}
