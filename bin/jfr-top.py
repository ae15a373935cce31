#!/usr/bin/env python3
# Summarises a JFR recording: top leaf methods, ringcache methods by inclusive CPU samples, and
# allocation sites (class, first ringcache frame). Used by bin/profile-node.
import json, subprocess, sys, collections
f=sys.argv[1]
def events(name, depth):
    out=subprocess.run(["jfr","print","--json","--stack-depth",str(depth),"--events",name,f],capture_output=True,text=True).stdout
    return json.loads(out)["recording"]["events"]
def fname(fr):
    m=fr["method"]; return m["type"]["name"].split(".")[-1]+"."+m["name"]
ex=events("jdk.ExecutionSample",20)
leaf=collections.Counter(); incl=collections.Counter()
for e in ex:
    st=e["values"]["stackTrace"]
    if not st: continue
    frames=st["frames"]
    leaf[fname(frames[0])]+=1
    seen=set()
    for fr in frames:
        n=fname(fr)
        t=fr["method"]["type"]["name"]
        if (t.startswith("io/ringcache") or t.startswith("io.ringcache")) and "$$Lambda" not in t and n not in seen:
            incl[n]+=1; seen.add(n)
tot=len(ex)
print(f"CPU samples: {tot}")
print("top leaf methods:")
for n,c in leaf.most_common(12): print(f"  {100*c/tot:5.1f}%  {n}")
print("ringcache methods, inclusive:")
for n,c in incl.most_common(14): print(f"  {100*c/tot:5.1f}%  {n}")
al=events("jdk.ObjectAllocationSample",40)
by=collections.Counter(); tot2=0
for e in al:
    w=e["values"]["weight"]; tot2+=w
    st=e["values"]["stackTrace"]
    cls=e["values"]["objectClass"]["name"]
    site="?"
    if st:
        for fr in st["frames"]:
            tn=fr["method"]["type"]["name"]
            if (tn.startswith("io.ringcache") or tn.startswith("io/ringcache")) and "$$Lambda" not in tn:
                site=fname(fr); break
    by[(cls,site)]+=w
print(f"allocation samples weight total {tot2/1e6:.0f} MB")
for (cls,site),w in by.most_common(14): print(f"  {100*w/tot2:5.1f}%  {cls}  at {site}")
