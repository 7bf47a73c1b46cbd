#!/usr/bin/env python3
"""A 48-unit county for checking printed sizes: one UTF-8 CSV ledger per unit (a year
of rows, some late, some months under the minimum) and a unit list.

    python3 scripts/county48.py DIR
    hrgk score DIR/台账 --units DIR/单位名单.csv --as-of 2021-12-31 -o DIR/考核结果.xlsx

The 48 names are the units of rules/units.toml (33 县直部门, 15 乡镇). Fixed seed.
"""
import csv, datetime, os, random, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
names = re.findall(r'^name = "(.+)"', open(os.path.join(root, "rules/units.toml"), encoding="utf-8").read(), re.M)
items = re.findall(r'^name = "(.+)"', open(os.path.join(root, "rules/checklist.toml"), encoding="utf-8").read(), re.M)
out = sys.argv[1] if len(sys.argv) > 1 else "county48"
os.makedirs(os.path.join(out, "台账"), exist_ok=True)
rng = random.Random(48)
with open(os.path.join(out, "单位名单.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["单位名称", "类别"])
    for n in names:
        w.writerow([n, "乡镇" if n.endswith(("镇", "乡", "街道")) else "县直部门"])
for n in names:
    with open(os.path.join(out, "台账", f"{n}2021年政务公开台账.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "信息名称", "栏目", "形成日期", "公开日期"])
        for m in range(1, 13):
            for k in range(rng.choice([3, 5, 6, 8])):
                formed = datetime.date(2021, m, rng.randint(1, 25))
                late = rng.random() < 0.04
                pub = formed + datetime.timedelta(days=rng.randint(40, 60) if late else rng.randint(0, 10))
                if pub.year > 2021:
                    pub = datetime.date(2021, 12, 31)
                col = rng.choice(items + ["工作动态", "通知公告"])
                w.writerow([n, f"{n}关于{col}的第{m}月第{k + 1}号信息", col, formed.isoformat(), pub.isoformat()])
print(f"{len(names)} 个单位 → {out}")
