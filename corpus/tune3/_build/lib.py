import json
R=[]
def m(text,cat,lead,co=(),v=0,md=0,scr="accept",lr=0,cd=0,wp=0,tags=()):
    if isinstance(tags,str): tags=tags.split()
    if isinstance(co,str): co=co.split()
    R.append(dict(text=text,expected=dict(category=cat,lead=lead,co_handlers=list(co),
        flags=dict(vague=bool(v),multi_department=bool(md)),screening=scr,
        escalation=dict(leader_report=bool(lr),coordination=bool(cd),woodpecker_candidate=bool(wp))),tags=list(tags)))
def T(text,tags=(),**k): m(text,"technical","egov_center",co=("egov_office",),tags=tags,**k)
def B(text,lead,tags=(),**k): m(text,"business",lead,tags=tags,**k)
def C(text,lead,tags=(),**k): m(text,"complaint",lead,tags=tags,**k)
def S(text,lead,tags=(),**k): m(text,"suggestion",lead,tags=tags,**k)
def N(text,scr,tags=()): m(text,None,None,scr=scr,tags=tags)
def save(name):
    with open("/work/main/corpus/tune3/"+name,"w",encoding="utf-8") as f:
        for r in R: f.write(json.dumps(r,ensure_ascii=False)+"\n")
    print(name,len(R))
