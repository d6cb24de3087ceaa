import json,sys,re
D=[json.loads(l) for l in open('/work/shared/corpora/national_parallel.jsonl')]
def show(pat, maxn=200, en_only=False, enpat=None):
    r=re.compile(pat); n=0
    for d in D:
        if r.search(d['zh']) and (enpat is None or re.search(enpat,d['en'],re.I)):
            n+=1
            if n<=maxn:
                print('##',d['id'], d['zh'] if not en_only else '')
                print('   EN:', d['en'])
    print('TOTAL',n)
if __name__=='__main__':
    a=sys.argv
    show(a[1], int(a[2]) if len(a)>2 else 200, enpat=a[3] if len(a)>3 else None)
