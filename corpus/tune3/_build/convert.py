import json
# (file, idx): (new_text, changes) ; changes: dict of expected fields to override
CV={
('business_services',2):("学校对面那家小卖部一直卖没有厂名厂址的辣条和小包装饮料，放学的时候一堆小学生围着买，孩子回家说吃了肚子疼。上个月我就打电话给镇上的市场监管所反映过，对方说会去查，可是我今天去接孩子，货架上还是那些东西，老板还跟我说“查过了，没事”。请问到底有没有查？查了什么？孩子的健康不是小事。",dict(category="complaint",tags=["setting_noise","follow_up","long"])),
('business_services',4):("川沙一家药房不要处方就卖给我抗生素，还主动推荐“买一盒送一盒”。我当时就觉得不对，回家以后打电话向市场监管部门反映，接电话的工作人员问我有没有小票和录音，我说有小票，他说光有小票不能证明没有处方，让我自己再去买一次录个视频。举报还要举报人自己去取证？这样谁还愿意举报？",dict(category="complaint",tags=["hard","long"])),
('business_services',15):("锦绣路和某条支路交叉口的红绿灯，左转绿灯只有8秒，每次只能过两三辆车，早高峰排队排到后面两个路口。这个问题我去年十月和今年三月各反映过一次，两次的回复都是“已对信号配时进行优化”，可是我每天早上开车经过，左转还是8秒，一秒都没变。到底优化了什么？能不能请交警早高峰的时候来现场看一次？",dict(category="complaint",tags=["hard","follow_up","long"])),
('business_services',17):("我们家2019年在浦东买的房，户口也迁进来了，孩子明年上小学，对口学校说我们这个地址今年属于“统筹安排”，是什么意思？我打区教育局招生办的电话打了一个礼拜，不是占线就是没人接，去现场问，保安说招生咨询只在规定的日子，让我们等公告。公告上又没有写统筹的原则。家长们都很焦虑，能不能有一个能打通的咨询电话？",dict(category="complaint",tags=["long"])),
('business_services',19):("在社区卫生服务中心打针，护士说注射器没有了，让我自己去外面药店买。我问为什么社区医院连注射器都没有，她说“你不想打就别打了”，然后就去忙别的了。我只好出去跑了两家药店才买到，回来又重新排队。我不是要为难护士，只是觉得这种基础的东西应该保障，工作人员的态度也应该改一改。",dict(category="complaint",tags=["setting_noise","long"])),
('business_services',25):("我在某菜市场租了个摊位卖蔬菜，摊位费一年比一年涨，今年又涨了30%，经营户都快撑不下去了。我们十几个摊主联名写信给区商务委，问这个菜场的收费有没有标准，商务委回复说摊位费属于市场主体自主定价，建议我们找市场监管部门；市场监管部门又说菜场的经营管理归商务部门。我们到底该找谁？",dict(category="complaint",multi=True,co=["market"],coord=True,tags=["hard","long"])),
('business_services',30):("金杨那边有家网吧，晚上十点以后还有穿校服的初中生在里面打游戏，门口也不查身份证。我上个月已经打电话向文化执法部门反映过两次，他们说派人去检查了，没有发现未成年人。可是他们是白天去的，白天学生都在上课，当然看不到。能不能晚上十点以后去看一看？我自己的孩子就在里面被我找到过。",dict(category="complaint",tags=["setting_noise","follow_up","long"])),
('business_services',45):("我们公司参加了区里一个政府采购项目的投标，中标结果公示以后，我们对评分有异议，在规定的七个工作日内向采购单位提交了书面质疑函，有快递签收记录。按规定对方应该在七个工作日内答复，可是现在已经过去二十多天了，没有任何答复，打电话也说负责人出差了。请问采购单位不答复质疑，我们应该向谁投诉？",dict(category="complaint",tags=["long","question"])),
('business_services',56):("学校旁边的工地晚上十一点还在打桩，孩子明天期末考试，整晚睡不着。这个工地从上学期开始就经常夜里施工，我已经打了三次电话，每次都说会转给建设管理部门，然后当天晚上照样打桩。我就想问一下，学校旁边的工地在考试期间能不能停一停？夜间施工许可到底是怎么批的？",dict(category="complaint",tags=["setting_noise","follow_up","long"])),
('neighbourhood',2):("小区门口那棵大梧桐树有一根很粗的树枝断了，挂在半空中，一刮风就晃，下面就是公交车站，每天好多人站在下面等车。上个礼拜一我就打了12345，说会派绿化部门来处理，现在已经八天了，树枝还挂在那里。这两天又要刮台风了，真的掉下来砸到人怎么办？请务必尽快来处理。",dict(category="complaint",tags=["follow_up","long"])),
('neighbourhood',5):("花木路某小区门口每天晚上有十几个流动摊贩卖烧烤、炸串，一直摆到半夜，油烟大，垃圾满地，连小区的消防通道都被挡住了。我们反映过很多次，城管的车每次都是下午四五点来转一圈，那时候摊贩还没出来，等城管一走，晚上七点准时摆满。执法能不能换个时间？这样巡查有什么用？",dict(category="complaint",tags=["hard","follow_up","long"])),
('neighbourhood',8):("楼下新开的KTV，每天晚上低音炮震到凌晨两点，我家在三楼，床都在震。我打110，派出所的民警来了说KTV的噪音属于环保部门管，让我打环保的电话；环保部门说晚上十点以后的娱乐场所噪音扰民，可以找公安。两边都说对方管，一个多月了，我每天晚上还是睡不着觉。",dict(category="complaint",multi=True,co=["public_security"],coord=True,tags=["hard","long"])),
('neighbourhood',11):("这两周家里自来水一直发黄，放一会儿才变清，烧开以后壶底全是沉淀，楼上楼下都这样。我们打了自来水公司的电话，他们说小区里面的管道是物业管的，让找物业；物业说水是自来水公司供的，出了问题要自来水公司来查。家里有小孩，现在只能买桶装水做饭，请水务部门来查一下水质，到底是哪里的问题。",dict(category="complaint",multi=True,co=["housing"],coord=True,tags=["hard","long"])),
('neighbourhood',13):("沪南公路有一段路灯坏了一排，晚上黑乎乎的，上个月有个老人骑车在那里摔了。这件事三个礼拜前我就打电话反映过，对方说路灯的维修要报计划，会尽快安排。可是到现在还是一片漆黑，这段路旁边就是一个公交站和一所中学，晚自习下课的学生都走这条路。路灯修一下要这么久吗？",dict(category="complaint",tags=["follow_up","long"])),
('neighbourhood',18):("隔壁一套三居室被二房东隔成了八间，住了二十多个人，晚上吵吵闹闹，楼道里堆满了东西，卫生间的水还漏到楼下。我们先找了居委会，居委会说会上报；又打电话给街道房办，房办的人来了一次，敲门没人开就走了，后来再也没来过。已经快三个月了，住的人越来越多，我们真的很担心会出安全问题。",dict(category="complaint",tags=["follow_up","long"])),
('neighbourhood',20):("小区外面的人行道上停满了私家车，轮椅和婴儿车根本推不过去，只能走机动车道。我给交警打电话，交警说人行道上的停车归城管管；我又找城管，城管说违法停车是交警的事情，他们只管占道经营。我是坐轮椅的，每天出门都要冒险走到机动车道上。请问到底是哪个部门管？",dict(category="complaint",multi=True,co=["city_management"],coord=True,tags=["hard","long"])),
('neighbourhood',28):("我们村里的几亩农田被人偷偷倒了建筑垃圾，晚上开着渣土车来倒，现在整块地都被盖住了，没法种了。村民拍到了车牌号，交给了村委会，村委会说报给了镇城管中队，城管的人来看了一眼，说要调查倒垃圾的人是谁，后来就没有消息了。两个月过去了，渣土还在那里，最近又多了几车。",dict(category="complaint",multi=True,co=["agriculture"],tags=["hard","follow_up","long"])),
('neighbourhood',30):("我们楼屋顶漏水，想用维修资金修，物业说要业委会签字，业委会说要三分之二业主同意，一拖就是大半年，家里墙都发霉了。我去找街道房办，房办的工作人员说维修资金怎么用是业主自己的事情，政府不能干预，让我们自己去征求业主签字。可是一栋楼六十多户，很多是出租户，房东都联系不上。难道就没有应急维修的办法吗？",dict(category="complaint",tags=["long"])),
('neighbourhood',44):("我们隔壁是个废品回收站，每天凌晨就开始用机器压铁皮，噪音很大，还有一股焦糊味。我打电话给环保部门，环保说这个回收站是无证经营，应该由城管取缔；城管说噪音和气味是环保的事情，他们要等环保先出检测结果。就这样互相推了一个多月，回收站每天照样凌晨开工。",dict(category="complaint",multi=True,co=["city_management"],coord=True,tags=["long"])),
('work_and_welfare',5):("公司说疫情期间经营困难，社保从去年开始就没给我们交，可是每个月工资条上还在扣社保的钱。我去区劳动监察大队反映，窗口的人说这种情况应该去申请劳动仲裁，劳动监察管不了；我去仲裁那里问，又说欠缴社保不属于仲裁受理范围，要找劳动监察。都是人社系统的，怎么说法完全相反？",dict(category="complaint",coord=True,tags=["hard","long"])),
('work_and_welfare',14):("我父亲七十八岁，一个人住在川沙，最近摔了一跤，两个月前在社区申请了居家养老服务，说要先做照护等级评估。到现在评估的人都还没来，打电话去问，一会儿说评估机构人手不够，一会儿说要等系统排期。老人每天一个人在家，我们子女又都上班，真怕再摔一次。能不能尽快安排？",dict(category="complaint",tags=["long"])),
('work_and_welfare',22):("长护险评估通过了，评的是二级，按规定每周有三次上门护理。可是这两个月护理员经常临时不来，来了也是坐半个小时就走，记录单上却写一个小时。我们跟护理站反映，护理站的人说“你们不满意可以换一家”。长护险是医保的钱，这样的服务质量没人监管吗？",dict(category="complaint",tags=["long"])),
('work_and_welfare',28):("我们单位一直没给我们交公积金，我去问人事，人事说公司规定试用期以后才交，可我已经转正两年了。今年三月我向公积金中心投诉过，工作人员登记了，说会责令单位限期补缴，可是到现在快四个月了，公司那边一点动静都没有，公积金中心也没有人联系我。请问投诉以后到底有没有人在跟进？",dict(category="complaint",tags=["hard","follow_up","long"])),
('work_and_welfare',33):("我父亲是参战老兵，每年的优抚金以前都是三月份发的，今年到现在六月了还没到账。我去镇里的退役军人服务站问，说是区里还没拨下来；打区里的电话，说镇里的名单报晚了。老人八十多岁了，每个月就指望这点钱买药，问了三个地方没有一个人能说清楚，也没有人说什么时候能发。",dict(category="complaint",tags=["long"])),
('work_and_welfare',53):("我母亲八十五岁了，高龄津贴一直是每个月发的，这两个月没到账了。我去居委会问，说可能是没有做生存认证；去社区事务受理中心认证，又说认证是正常的，让我去问民政。打了区民政的电话，说要查一下，然后一个礼拜过去了也没回电话。老人的钱停了，总要告诉我们是什么原因吧？",dict(category="complaint",tags=["long","follow_up"])),
}
import collections
for fn in ['business_services','neighbourhood','work_and_welfare']:
    p=fn+'.jsonl'; rs=[json.loads(l) for l in open(p)]
    for i,r in enumerate(rs):
        if (fn,i) in CV:
            t,ch=CV[(fn,i)]; e=r['expected']
            r['text']=t; e['category']=ch['category']
            if 'multi' in ch: e['flags']['multi_department']=ch['multi']
            if 'co' in ch: e['co_handlers']=ch['co']
            if 'coord' in ch: e['escalation']['coordination']=ch['coord']
            r['tags']=[x for x in ch['tags'] if x!='long']
    with open(p,'w') as o:
        for r in rs: o.write(json.dumps(r,ensure_ascii=False)+'\n')
print([ (k,len(v[0])) for k,v in CV.items() if len(v[0])<150])
print(len(CV))
