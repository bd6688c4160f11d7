"""Rebuild the bundled control lists (`jp-etco-1.csv`, `us-ccl-3-5.csv`) from the data sets in `../shared/data`.

Run by hand after a data set changes; neither kizashi nor its tests run it (they must work without /work/shared):

    python src/kizashi/data/controls/build_controls.py /work/shared/data

Both come out in kizashi's CONTROLS form (`list, code, title, text, parent`). Wording is copied, never altered; what is
ours is the structure: codes, parents, titles cut from the text, and the item headings of Appended Table 1 (see SOURCE.md).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
COLUMNS = ("list", "code", "title", "text", "parent")
JP_LIST = "jp-etco-1"
US_LIST = "us-ccl-3-5"

# The Order numbers its items but gives them no heading; these are the usual category names (METI's own
# 貨物・技術のマトリクス表 uses them), in both languages so that an English text finds the item through its heading.
JP_HEADINGS = {
    "1": "武器 (arms)",
    "2": "原子力 (nuclear)",
    "3": "化学兵器 (chemical weapons)",
    "3の2": "生物兵器 (biological weapons)",
    "4": "ミサイル (missiles)",
    "5": "先端材料 (advanced materials)",
    "6": "材料加工 (materials processing)",
    "7": "エレクトロニクス (electronics)",
    "8": "電子計算機 (computers)",
    "9": "通信・情報セキュリティ (telecommunications and information security)",
    "10": "センサー・レーザー (sensors and lasers)",
    "11": "航法装置 (navigation and avionics)",
    "12": "海洋関連 (marine)",
    "13": "推進装置 (propulsion)",
    "14": "その他 (other)",
    "15": "機微品目 (sensitive items)",
    "16": "キャッチオール (catch-all)",
}
KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A numbered entry inside a sub-item: "１ 反応器２ 貯蔵容器…" (full-width digits, as the Order writes them).
INNER = re.compile(r"([１-９][０-９]*(?:の[１-９][０-９]*)?)\s")
TITLE_LENGTH = 90


def kanji_number(text: str) -> int:
    """一 → 1, 十三 → 13, 二十五 → 25, and the positional form of the item numbers: 一〇 → 10, 一六 → 16."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (KANJI_DIGITS[tens] if tens else 1) * 10 + (KANJI_DIGITS[ones] if ones else 0)
    value = 0
    for character in text:
        value = value * 10 + KANJI_DIGITS[character]
    return value


def jp_number(text: str) -> str:
    """三の二 → 3の2, 十三の二 → 13の2."""
    return "の".join(str(kanji_number(part)) for part in text.split("の"))


def title_of(text: str) -> str:
    """A short title: the text without its parenthetical exceptions, cut at a word or clause boundary."""
    short = text
    while (shorter := re.sub(r"（[^（）]*）", "", short)) != short:  # innermost first: （（十八）に掲げるものを除く。）
        short = shorter
    short = short.strip() or text
    if len(short) <= TITLE_LENGTH:
        return short
    cut = short[:TITLE_LENGTH]
    for mark in ("、", "; ", ", ", " "):
        at = cut.rfind(mark)
        if at > TITLE_LENGTH // 2:
            return cut[:at] + "…"
    return cut + "…"


def build_jp(source: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with (source / "appended_table_1_subitems.csv").open(encoding="utf-8") as handle:
        subitems = list(csv.DictReader(handle))
    seen: set[str] = set()
    for entry in subitems:
        item = jp_number(entry["item"])
        if item not in seen:
            seen.add(item)
            heading = f"{item}の項 {JP_HEADINGS[item]}"
            text = entry["item_preamble"] or ""
            if not entry["sub"]:  # item 8: one entry without sub-items
                text = entry["text"]
            rows.append({"list": JP_LIST, "code": item, "title": heading, "text": text, "parent": ""})
        if not entry["sub"] or entry["text"] == "削除":
            continue  # deleted sub-items keep their number in the Order but control nothing
        code = f"{item}({jp_number(entry['sub'])})"
        text = entry["text"]
        inner = INNER.split(text)
        rows.append({"list": JP_LIST, "code": code, "title": title_of(inner[0]), "text": text, "parent": item})
        # "次に掲げる貨物…１ 反応器２ 貯蔵容器…": the numbered goods become children, as the Order cites them ((二)１).
        if len(inner) > 2 and "次に掲げる貨物" in inner[0]:
            for number, words in zip(inner[1::2], inner[2::2], strict=True):
                child = f"{code}{number.translate(FULL_WIDTH)}"
                rows.append({"list": JP_LIST, "code": child, "title": title_of(words), "text": words, "parent": code})
    return rows


FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

# CCL paragraphs: "a.", "a.1.", "b.1.b.2." and the like at the start of a line (notes are in italics, "*…*").
PARAGRAPH = re.compile(r"^([a-z](?:\.(?:\d+|[a-z]))*)\.?\s+(\S.*)$")
SKIPPED_LINES = re.compile(r"^\*?(Related Controls|Related Definitions|Items)\b")
# "For the purposes of 5A002.a, …": a note that names the paragraph it belongs to (key lengths are defined this way).
NOTE_TARGET = re.compile(r"For the purposes of \d[A-E]\d{3}\.([a-z](?:\.(?:\d+|[a-z]))*)")


def build_us(source: Path) -> list[dict[str, str]]:
    categories = json.loads((source / "ccl_cat3-5_parsed.json").read_text(encoding="utf-8"))
    rows: list[dict[str, str]] = []
    for category in categories:
        number, _, name = category["name"].removeprefix("Category ").partition("-")
        rows.append({"list": US_LIST, "code": number, "title": f"Category {number}: {name}", "text": "", "parent": ""})
        for group in category["product_groups"]:
            for eccn in group["eccn"]:
                code = eccn["code"]
                base, _, paragraph = code.partition(".")
                # The parse also gives a few paragraphs as entries of their own (5A991.b, 5A992.c); their items are
                # numbered from the ECCN ("b.1"), and what the ECCN's own entry already gave is kept.
                rows.append(
                    {
                        "list": US_LIST,
                        "code": code,
                        "title": title_of(eccn["description"]),
                        "text": eccn["description"],
                        "parent": base if paragraph else number,
                    }
                )
                rows.extend(_paragraphs(base, eccn["details"], paragraph))
    unique: dict[str, dict[str, str]] = {}
    for row in rows:
        unique.setdefault(row["code"], row)
    return list(unique.values())


def _paragraphs(eccn: str, details: str, within: str = "") -> list[dict[str, str]]:
    """The lettered paragraphs of an ECCN's items list, each with the notes that follow it; a paragraph's parent is
    the nearest paragraph above it in the numbering (z.1.a has no z.1, so its parent is z)."""
    _, found, items = details.rpartition("List of Items Controlled")
    if not found:
        return []
    paragraphs: dict[str, list[str]] = {}
    current: str | None = None
    target: str | None = None  # where note lines go: the paragraph above, or the one a note names
    for raw in items.splitlines():
        line = raw.strip()
        if not line or SKIPPED_LINES.match(line):
            continue
        match = PARAGRAPH.match(line)
        if match and not line.startswith("*"):
            current = target = match.group(1)
            if "[Reserved]" in match.group(2):
                current = target = None
                continue
            paragraphs.setdefault(current, []).append(match.group(2).replace("*", "").strip())
            continue
        named = NOTE_TARGET.search(line)
        if named and named.group(1).rstrip(".") in paragraphs:
            target = named.group(1).rstrip(".")
        if target is not None:
            paragraphs[target].append(line.replace("*", "").strip())
    rows = []
    if within:  # an entry for paragraph `within` numbers its items either from the ECCN or from itself
        paragraphs = {
            (p if p == within or p.startswith(f"{within}.") else f"{within}.{p}"): lines
            for p, lines in paragraphs.items()
        }
    for paragraph, lines in paragraphs.items():
        text = " ".join(part for part in lines if part)
        parts = paragraph.split(".")
        parent = eccn
        for cut in range(len(parts) - 1, 0, -1):
            if ".".join(parts[:cut]) in paragraphs or ".".join(parts[:cut]) == within:
                parent = f"{eccn}.{'.'.join(parts[:cut])}"
                break
        title = title_of(lines[0])
        rows.append({"list": US_LIST, "code": f"{eccn}.{paragraph}", "title": title, "text": text, "parent": parent})
    return rows


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(shared: Path) -> None:
    write(build_jp(shared / "jp-export-control-order"), HERE / f"{JP_LIST}.csv")
    write(build_us(shared / "export-control-ccl"), HERE / f"{US_LIST}.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"))
