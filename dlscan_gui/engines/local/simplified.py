"""Licences are printed in simplified Chinese, but the recogniser was trained on both scripts
and now and then returns a character's traditional form (黃 for 黄). The forms below are the
same characters, so turning them back is a correction, not a guess; characters whose
traditional form maps to more than one simplified one are left out."""

from __future__ import annotations

_PAIRS = (
    "黃黄 陳陈 劉刘 張张 楊杨 趙赵 吳吴 鄭郑 謝谢 許许 馮冯 蔣蒋 韓韩 唐唐 葉叶 鍾钟 羅罗 "
    "龍龙 盧卢 蘇苏 顧顾 魏魏 孫孙 譚谭 賈贾 鄧邓 錢钱 嚴严 華华 賴赖 閻阎 聶聂 齊齐 "
    "軍军 國国 華华 東东 麗丽 鳳凤 飛飞 龍龙 鵬鹏 偉伟 強强 剛刚 陽阳 輝辉 傑杰 燕燕 "
    "紅红 嬌娇 靜静 婭娅 潔洁 璽玺 寶宝 慶庆 興兴 貴贵 祿禄 廣广 義义 禮礼 華华 "
    "風风 門门 號号 區区 鎮镇 縣县 鄉乡 廠厂 園园 樓楼 單单 層层 戶户 橋桥 灣湾 莊庄 塢坞"
)
_TO_SIMPLIFIED = str.maketrans({pair[0]: pair[1] for pair in _PAIRS.split() if pair[0] != pair[1]})


def simplified(text: str) -> str:
    return text.translate(_TO_SIMPLIFIED)
