import json,sys,re
D=[json.loads(l) for l in open('/work/shared/corpora/national_parallel.jsonl')]
def show(pat, maxn=200, ctx=25, enlen=700):
    r=re.compile(pat); n=0
    for d in D:
        m=r.search(d['zh'])
        if m:
            n+=1
            if n<=maxn:
                s=max(0,m.start()-ctx); e=m.end()+ctx
                print('##',d['id'], d['zh'][s:e])
                print('   ', d['en'][:enlen])
    print('TOTAL',n,'\n')
for p in sys.argv[1:]:
    print('=====',p); show(p)
