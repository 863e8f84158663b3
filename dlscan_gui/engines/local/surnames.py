"""Chinese surnames (public knowledge: the most common few hundred, which between them cover
nearly everyone, plus the common two-character ones), for checking the first character of a
name read from a licence."""

from __future__ import annotations

_SINGLE = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿"
    "关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华"
    "喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗"
    "瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡"
    "鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓"
    "修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展"
    "阴昝智幸奉植衡富尧闭由"
)
_DOUBLE = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "司徒", "令狐", "夏侯", "尉迟", "公孙",
    "长孙", "宇文", "轩辕", "端木", "西门", "南宫", "独孤", "呼延", "万俟", "澹台", "申屠", "太史",
)

# Log prior odds of a name whose first character is none of these against a name with one given
# surname. The list covers nearly everyone: each of its ~500 surnames has a prior of ~1/500,
# while a character outside it is one of some thousands sharing the last ~1 %: odds of ~1:600,
# e^-6.4, taken as e^-6 (~1:400) to stay on the cautious side.
NO_SURNAME_PRIOR = -6.0

SINGLE_SURNAMES: frozenset[str] = frozenset(_SINGLE)
DOUBLE_SURNAMES: frozenset[str] = frozenset(_DOUBLE)


def has_known_surname(name: str) -> bool:
    return name[:2] in DOUBLE_SURNAMES or name[:1] in SINGLE_SURNAMES
