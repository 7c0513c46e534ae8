"""Summary of compare_trees.sh's logs (argv[1]): per benchmark the
median of each side over the rounds, new/old, the median of the
per-round ratios, and the distinct outputs seen (one value each means
both builds agree)."""
import collections
import os
import re
import statistics as st
import sys

B = sys.argv[1] + os.sep
rows=collections.OrderedDict()
def add(key, side, r, v):
    rows.setdefault(key, {"old":{}, "new":{}})[side][r]=v
outs=collections.defaultdict(set)
for ln in open(B+"match.log"):
    f=ln.split()
    if f[0]!="match": continue
    n,side,r=f[1],f[2],f[3]
    add("match_solve %s requests (ms)"%n, side, r, float(f[7]))
    outs["match %s"%n].add((f[8],f[9]))
for ln in open(B+"sched.log"):
    f=ln.split()
    if f[0]!="sched": continue
    add("coach-solve schedule seed 1 (s)", f[1], f[2], float(f[3]))
    outs["sched"].add(f[5])
try:
  for ln in open(B+"feeds.log"):
    m=re.match(r"feeds (\w+) (\d+) .*median_ms ([\d.]+).*bodies (\w+)", ln)
    if m:
        add("feeds start-up render, 124 feeds (ms)", m.group(1), m.group(2), float(m.group(3)))
        outs["feeds"].add(m.group(4))
  for ln in open(B+"caps.log"):
    m=re.match(r"caps (\w+) (\d+) \| (\d+) \| \d+ \| \d+ \| \d+ \| (\d+) ms .*\| (\d+) \|$", ln.strip())
    if m:
        add("report district, %s coaches (ms)"%m.group(3), m.group(1), m.group(2), float(m.group(4)))
        outs["caps %s over cap"%m.group(3)].add(m.group(5))
  for ln in open(B+"questions.log"):
    m=re.match(r"questions (\w+) (\d+) (\w+) +(\d+) +([\d.]+)", ln)
    if m:
        add("%s, %s questions (ms)"%(m.group(3),m.group(4)), m.group(1), m.group(2), float(m.group(5)))
except FileNotFoundError: pass
print("| benchmark | old median | new median | new/old | median of per-round ratios | rounds |")
print("|---|---:|---:|---:|---:|---:|")
for k,v in rows.items():
    o=v["old"]; n=v["new"]
    common=[r for r in o if r in n]
    if not common: continue
    mo=st.median(o[r] for r in common); mn=st.median(n[r] for r in common)
    rr=st.median(n[r]/o[r] for r in common)
    print("| %s | %.1f | %.1f | %.2f | %.2f | %d |"%(k,mo,mn,mn/mo,rr,len(common)))
for k,v in outs.items(): print(k, "outputs:", v)
