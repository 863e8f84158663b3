"""Characters common in Chinese given names (public knowledge: the few hundred that most given
names are written with, for men and women alike), for checking the characters of a name read
from a licence after its surname."""

from __future__ import annotations

_COMMON = (
    # virtues, wishes and fortune
    "德仁义礼智信忠孝良善贤惠恩爱诚正直廉勤俭毅刚强勇健康宁安平和顺乐欢喜庆福禄寿祥瑞吉利"
    "富贵荣华昌盛兴隆旺发达胜利成功才贤能敬崇尊"
    # brightness, sky and seasons
    "明亮光辉耀晖炜烨煜灿炎焕熙晨旭昕晟昱景皓晓晴曦阳春夏秋冬日月星辰宸天云雨雪霞虹霜露冰"
    "风雷电朝晚"
    # water, mountains and plants
    "海洋波涛浩淼源润泓洪沛清渊滨瀚江河川涵沐泽溪湖潇澜洁汉泉沙山峰岩峻松柏林森楠桐杨柳梓"
    "榕枫桂梅兰竹菊荷莲花芳芬芝芸萍茹莉蓉菲萱蕾薇蕊苗禾秀叶草英茂"
    # jade, metals and treasures
    "玉珠琳琪瑶璐瑾瑜琦瑛珊琼环珍宝金银铭锐钢铁鑫钰铃锋镇"
    # strength and greatness
    "伟强磊军勇杰超刚建国鹏飞斌宇凯龙虎彪雄威豪俊骏驰腾跃进远高升立新永振宏鸿坤翔"
    "航帆舟远志宇宙乾坤"
    # wisdom and letters
    "文博思哲睿聪慧敏捷学书诗语言章彦斯晋儒雅艺"
    # womanly grace
    "娜丽艳娟婷静倩琴玲凤燕丹颖晶莹佳欣怡悦彤馨美妍媛婉妮娇嫣娅婕姗婧姝妙淑贞素翠红香芳"
    "月心柔可嘉"
    # family, places and generation names
    "家国邦民华中东南西北京子孙小大一二三世宗继承传启开先祖长少维维嘉振昌连春秀兴永建"
    "浩宏天志"
    # others seen often
    "凡平然泽安康涵轩子梓航杰鑫宇浩晨阳欣怡佳雨思博俊峰海燕梅冬晓东颖慧波亮成云玲倩琴"
    "鸣鹤麟祺祯福禧琛瑞霖洲湘渝闽蜀滇桂粤彬昊恒韬奕逸晗琰璇萌涓滢漫菁蓓青雯霏楚艾爽岚霄毓"
    "育钧铮锦绍绪纯彩影丰武卫兵桦栋杉根树生田全友财坚恺楷宪宣昭"
)
COMMON_GIVEN: frozenset[str] = frozenset(_COMMON)
