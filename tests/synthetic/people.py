"""Random but valid licence holders for the synthetic licence generator.

Everything is made up and drawn from ``random.Random(seed)``: names from common surnames and
given-name characters, addresses from plausible place-name morphemes, ID numbers with a real
province prefix, a real-looking city code, random county digits and a random sequence number,
so they pass GB 11643 without naming anyone. Nationality is always 中国 (a foreigner's licence
number follows other rules that the generator does not model).

Dates follow the licence rules: first issue after the 18th birthday (21st for A/B classes), a
first period of 6 years, then 10 years, then open-ended (长期); ``today`` (the day the photo is
"taken") always lies inside the current period, so ``validate_page(..., today=today)`` finds no
error.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from dlscan_gui.core.schema import OPEN_ENDED, Side
from dlscan_gui.core.validate import id_check_digit, is_ok, validate_page

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "司徒")
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉萍辉鹏飞斌宇浩凯鑫婷雪琳晨阳"
    "欣怡佳文博思雨轩子涵梓浩宇航俊峰志刚海燕春梅冬晓东晶晶颖慧丹波亮成龙云凤玲倩琴瑶璐蕾薇"
    "昊天然泽宁安康嘉瑞彬锋鸿坤豪翔林森庆祥福德仁义礼智信忠良善美德秀才民振兴宏伟立新永胜"
)

# (code, province, [(city code, city)]); 直辖市 have one "city" with code 01 and no city name.
PROVINCES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("11", "北京市", (("01", ""),)),
    ("12", "天津市", (("01", ""),)),
    ("13", "河北省", (("01", "石家庄市"), ("02", "唐山市"), ("06", "保定市"))),
    ("14", "山西省", (("01", "太原市"), ("02", "大同市"))),
    ("15", "内蒙古自治区", (("01", "呼和浩特市"), ("02", "包头市"))),
    ("21", "辽宁省", (("01", "沈阳市"), ("02", "大连市"))),
    ("22", "吉林省", (("01", "长春市"), ("02", "吉林市"))),
    ("23", "黑龙江省", (("01", "哈尔滨市"), ("02", "齐齐哈尔市"))),
    ("31", "上海市", (("01", ""),)),
    ("32", "江苏省", (("01", "南京市"), ("02", "无锡市"), ("05", "苏州市"))),
    ("33", "浙江省", (("01", "杭州市"), ("02", "宁波市"), ("03", "温州市"))),
    ("34", "安徽省", (("01", "合肥市"), ("02", "芜湖市"))),
    ("35", "福建省", (("01", "福州市"), ("02", "厦门市"), ("05", "泉州市"))),
    ("36", "江西省", (("01", "南昌市"), ("07", "赣州市"))),
    ("37", "山东省", (("01", "济南市"), ("02", "青岛市"), ("06", "烟台市"))),
    ("41", "河南省", (("01", "郑州市"), ("03", "洛阳市"))),
    ("42", "湖北省", (("01", "武汉市"), ("05", "宜昌市"))),
    ("43", "湖南省", (("01", "长沙市"), ("02", "株洲市"))),
    ("44", "广东省", (("01", "广州市"), ("03", "深圳市"), ("06", "佛山市"), ("19", "东莞市"))),
    ("45", "广西壮族自治区", (("01", "南宁市"), ("02", "柳州市"), ("03", "桂林市"))),
    ("46", "海南省", (("01", "海口市"), ("02", "三亚市"))),
    ("50", "重庆市", (("01", ""),)),
    ("51", "四川省", (("01", "成都市"), ("07", "绵阳市"))),
    ("52", "贵州省", (("01", "贵阳市"), ("03", "遵义市"))),
    ("53", "云南省", (("01", "昆明市"), ("03", "曲靖市"))),
    ("54", "西藏自治区", (("01", "拉萨市"),)),
    ("61", "陕西省", (("01", "西安市"), ("03", "宝鸡市"))),
    ("62", "甘肃省", (("01", "兰州市"), ("05", "天水市"))),
    ("63", "青海省", (("01", "西宁市"),)),
    ("64", "宁夏回族自治区", (("01", "银川市"),)),
    ("65", "新疆维吾尔自治区", (("01", "乌鲁木齐市"),)),
)
_BY_PROVINCE = {name: (code, cities) for code, name, cities in PROVINCES}
# Populous provinces are drawn more often, as at a real counter.
_PROVINCE_WEIGHTS = {"44": 6, "37": 5, "41": 5, "51": 5, "32": 5, "13": 4, "33": 4, "43": 4,
                     "42": 4, "11": 4, "31": 4, "34": 3, "35": 3, "36": 3, "45": 3, "50": 3}
# Who issues the licence in the four municipalities (the provinces use 市公安局交通警察支队).
_MUNICIPAL_AUTHORITY = {
    "北京市": "北京市公安局公安交通管理局",
    "上海市": "上海市公安局交通警察总队",
    "天津市": "天津市公安交通管理局",
    "重庆市": "重庆市公安局交通巡逻警察总队",
}

# Two-character morphemes for district, road and estate names.
PLACE = (
    "建设 人民 解放 中山 和平 新华 东风 胜利 文化 光明 长江 黄河 青年 幸福 朝阳 红旗 团结 五一 "
    "滨江 金桥 银河 翠湖 碧水 锦绣 丽景 阳光 春晖 丰收 新民 育才 振兴 繁荣 富民 安居 金沙 龙华 "
    "凤凰 桃园 柳营 白云 松山 石桥 清河 西湖 东湖 南湖 天河 月湖 枫林 梧桐 望江 临江 江南 河西 "
    "城东 城西 城南 城北 开元 永安 长乐 太平 兴华 华侨 工业 学府 科技 花园 体育 公园 迎宾 汉阳"
).split()
_DISTRICT_SUFFIX = ("区", "区", "区", "县", "新区")
_ROAD_SUFFIX = ("路", "路", "路", "街", "大街", "大道", "东路", "西路", "南路", "北路", "中路")
_ESTATE_SUFFIX = ("小区", "花园", "家园", "新村", "公寓", "苑", "华府", "雅居")

# 准驾车型 values with rough frequencies (C1 dominates at a real counter).
CLASSES = (
    ("C1", 50), ("C2", 10), ("B2", 6), ("A2", 4), ("A1", 3), ("B1", 3), ("C1E", 4), ("E", 2),
    ("D", 2), ("A3", 1), ("A2E", 1), ("B2E", 1), ("A1A2", 1), ("F", 1), ("C1D", 1), ("C3", 1),
    ("B1E", 1), ("M", 1), ("A2D", 1), ("C1M", 1),
)


def gb2312_ok(text: str) -> bool:
    """True when every character can be printed with the bundled GB 2312 fonts."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class Licence:
    """One licence holder and their licence, both pages. Dates are ``date`` objects; ``truth``
    gives the printed strings."""

    name: str
    sex: str
    birth: date
    number: str
    nationality: str
    address: str
    issue_date: date
    licence_class: str
    valid_from: date
    valid_years: int | None  # None: open-ended (长期)
    issuing_authority: str
    file_number: str
    record: list[str] = field(default_factory=list)
    today: date = field(default_factory=date.today)  # a day inside the validity

    @property
    def valid_to(self) -> date | None:
        return None if self.valid_years is None else add_years(self.valid_from, self.valid_years)

    def front_truth(self) -> dict[str, str]:
        valid_to = self.valid_to
        return {
            "number": self.number,
            "name": self.name,
            "sex": self.sex,
            "nationality": self.nationality,
            "address": self.address,
            "birth": self.birth.isoformat(),
            "issue_date": self.issue_date.isoformat(),
            "class": self.licence_class,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": OPEN_ENDED if valid_to is None else valid_to.isoformat(),
            "issuing_authority": self.issuing_authority,
        }

    def back_truth(self) -> dict[str, str]:
        return {
            "number": self.number,
            "name": self.name,
            "file_number": self.file_number,
            "record": "".join(self.record),
        }


def add_years(d: date, years: int) -> date:
    """Same month and day ``years`` later; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 2, 28)


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def random_name(rng: random.Random) -> str:
    if rng.random() < 0.03:
        surname = rng.choice(COMPOUND_SURNAMES)
        return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    # About a third of given names are one character.
    n = 1 if rng.random() < 0.3 else 2
    if rng.random() < 0.02:
        n = 3
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def _pick_province(rng: random.Random) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    weights = [_PROVINCE_WEIGHTS.get(code, 2) for code, _, _ in PROVINCES]
    return rng.choices(PROVINCES, weights=weights)[0]


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE)


def random_address(rng: random.Random, province: str, city: str) -> str:
    """Province, city, district, road and house number, sometimes an estate with building,
    unit and flat, sometimes a town and village. About half are too long for one line on the
    card (tuned by measuring the rendered pages)."""
    district = _place(rng) + rng.choice(_DISTRICT_SUFFIX)
    road = f"{_place(rng)}{rng.choice(_ROAD_SUFFIX)}{rng.randint(1, 199)}号"
    style = rng.random()
    if style < 0.53:  # short: no district in a prefecture-level city, or a municipality
        return province + (city or district) + road
    if style < 0.62:
        return province + city + district + road
    head = province + city + district
    if style < 0.7:  # countryside: town, village, group, house
        return head + f"{_place(rng)}镇{_place(rng)}村{rng.randint(1, 12)}组{rng.randint(1, 99)}号"
    tail = road
    form = rng.random()
    estate = _place(rng) + rng.choice(_ESTATE_SUFFIX)
    building = rng.randint(1, 30)
    flat = f"{rng.randint(1, 32)}{rng.randint(1, 6):02d}"
    if form < 0.3:
        tail += f"{estate}{building}栋{rng.randint(1, 4)}单元{flat}室"
    elif form < 0.55:
        tail += f"{building}号楼{rng.randint(1, 6)}单元{flat}号"
    elif form < 0.8:
        tail += f"{estate}{building}幢{flat}室"
    else:
        tail += f"{building}栋{flat}房"
    return head + tail


def _authority(province: str, city: str) -> str:
    if not city:
        return _MUNICIPAL_AUTHORITY[province]
    return f"{province}{city}公安局交通警察支队"


def _class_needs_21(licence_class: str) -> bool:
    return any(c in licence_class for c in "AB")


def random_licence(
    rng: random.Random, *, allow_open_ended: bool = True, today: date | None = None
) -> Licence:
    """A random, internally consistent licence. ``allow_open_ended=False`` keeps the validity
    to 6 or 10 years (the old front layout prints "有效期限 N年" and never 长期)."""
    if today is None:
        today = _random_date(rng, date(2019, 1, 1), date(2025, 12, 31))
    sex = rng.choice("男女")
    licence_class = rng.choices([c for c, _ in CLASSES], weights=[w for _, w in CLASSES])[0]
    min_age = 21 if _class_needs_21(licence_class) else 18

    # The validity periods run 6, 10, then open-ended years from the first issue; choose the
    # first issue so that ``today`` falls in the period we want.
    periods = [0, 6, 16] if allow_open_ended else [0, 6]
    weights = [3, 5, 2] if allow_open_ended else [3, 5]
    start = rng.choices(periods, weights=weights)[0]
    length = {0: 6, 6: 10, 16: None}[start]
    # issue + start <= today < issue + start + length
    latest_issue = add_years(today, -start)
    earliest_issue = add_years(today, -(start + (length or 40))) + timedelta(days=1)
    youngest_birth = add_years(today, -(min_age + start)) - timedelta(days=30)
    birth = _random_date(rng, max(date(1950, 1, 1), add_years(earliest_issue, -45)),
                         min(date(2005, 12, 31), youngest_birth))
    issue_date = _random_date(rng, max(earliest_issue, add_years(birth, min_age)), latest_issue)
    assert issue_date >= add_years(birth, min_age)

    # Renewals may happen up to 90 days before the previous expiry: valid_from moves earlier.
    valid_from = add_years(issue_date, start)
    if start and rng.random() < 0.4:
        valid_from -= timedelta(days=rng.randint(1, 80))
    valid_from = max(valid_from, issue_date)
    valid_years = length
    if valid_years is not None and add_years(valid_from, valid_years) <= today:
        valid_from = add_years(issue_date, start)  # the early renewal would have run out
    valid_to = None if valid_years is None else add_years(valid_from, valid_years)
    assert valid_from <= today and (valid_to is None or today < valid_to)

    code, province, cities = _pick_province(rng)
    city_code, city = rng.choice(cities)
    address = random_address(rng, province, city)
    # The number carries the birthplace's region, which is often not where the holder lives.
    if rng.random() < 0.4:
        code, _, id_cities = _pick_province(rng)
        city_code = rng.choice(id_cities)[0]
    county = f"{rng.randint(1, 29):02d}" if rng.random() < 0.85 else "00"
    seq = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "男" else (0, 2, 4, 6, 8))
    first17 = f"{code}{city_code}{county}{birth:%Y%m%d}{seq:03d}"
    number = first17 + id_check_digit(first17)

    # Licensed where they live, mostly.
    auth_province, auth_city = province, city
    if rng.random() < 0.2:
        _, auth_province, auth_cities = _pick_province(rng)
        auth_city = rng.choice(auth_cities)[1]
    authority = _authority(auth_province, auth_city)
    # The file number usually starts with the issuing city's 4-digit region code.
    auth_code, auth_cities = _BY_PROVINCE[auth_province]
    auth_city_code = next(cc for cc, cn in auth_cities if cn == auth_city)
    prefix = f"{auth_code}{auth_city_code}" if rng.random() < 0.8 else f"{rng.randint(0, 9999):04d}"
    file_number = prefix + f"{rng.randint(0, 10**8 - 1):08d}"

    licence = Licence(
        name=random_name(rng), sex=sex, birth=birth, number=number, nationality="中国",
        address=address, issue_date=issue_date, licence_class=licence_class,
        valid_from=valid_from, valid_years=valid_years, issuing_authority=authority,
        file_number=file_number, today=today,
    )
    licence.record = random_record(rng, licence)
    # Never hand out a card the app would flag: the benchmark scores reading, not checking.
    assert is_ok(validate_page(licence.front_truth(), Side.FRONT, today=today))
    assert is_ok(validate_page(licence.back_truth(), Side.BACK, today=today))
    return licence


def random_record(rng: random.Random, lic: Licence) -> list[str]:
    """0–3 lines of the back page's 记录, from templates that real back pages carry."""
    candidates: list[str] = []
    if _class_needs_21(lic.licence_class) or rng.random() < 0.15:
        candidates.append(f"请于每年的{rng.randint(1, 12):02d}月提交身体条件证明。")
    valid_to = lic.valid_to
    if valid_to is not None:
        candidates.append(f"请于{_cn_date(valid_to)}前九十日内申请换领新驾驶证。")
    if lic.valid_from == lic.issue_date:
        candidates.append(f"实习期至{_cn_date(add_years(lic.issue_date, 1))}。")
    elif _class_needs_21(lic.licence_class) and rng.random() < 0.5:
        candidates.append(f"增驾实习期至{_cn_date(add_years(lic.valid_from, 1))}。")
    if not candidates or rng.random() < 0.15:
        return []
    n = rng.randint(1, min(3, len(candidates)))
    # Keep the printed order: the templates above are in the order they appear on real pages.
    chosen = sorted(rng.sample(range(len(candidates)), n))
    return [candidates[i] for i in chosen]
