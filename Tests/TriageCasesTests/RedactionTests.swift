import Testing
import TriageCases
import TriageKit

@Suite struct RedactionTests {
    let r = Redactor()
    func redact(_ s: String) -> String { r.redact(s).text }

    @Test func mobileNumbers() {
        #expect(redact("我的手机13812345678，请回电") == "我的手机〔手机号〕，请回电")
        #expect(redact("电话138-1234-5678") == "电话〔手机号〕")
        #expect(redact("联系 139 1234 5678 谢谢") == "联系 〔手机号〕 谢谢")
        #expect(redact("+86 138 1234 5678") == "〔手机号〕")
        #expect(redact("+8613812345678。") == "〔手机号〕。")
        #expect(redact("(+86)13812345678") == "〔手机号〕")
        #expect(redact("008615912345678") == "〔手机号〕")
        #expect(redact("手机：１３８１２３４５６７８") == "手机：〔手机号〕", "full-width digits")
        #expect(redact("１３８－１２３４－５６７８") == "〔手机号〕", "full-width dashes")
        #expect(redact("13812345678 13912345678") == "〔手机号〕 〔手机号〕", "two numbers side by side")
        #expect(r.redact("13812345678、15012345678").counts == [.mobile: 2])
    }

    @Test func landlines() {
        #expect(redact("请打021-58781234转人工") == "请打〔电话〕转人工")
        #expect(redact("(021)58781234") == "〔电话〕")
        #expect(redact("（０２１）５８７８１２３４") == "〔电话〕", "full-width")
        #expect(redact("0755-2345678") == "〔电话〕")
        #expect(redact("021 5878 1234") == "〔电话〕")
        #expect(redact("02158781234") == "〔电话〕")
        #expect(redact("联系电话：58781234") == "联系电话：〔电话〕", "a bare number after a cue")
        #expect(redact("座机5878-1234") == "座机〔电话〕")
    }

    @Test func idCardNumbers() {
        // Valid check characters computed with GB 11643's weights.
        #expect(redact("身份证号310101199001011234有误") == "身份证号〔证件号码〕有误")
        #expect(redact("身份证号310101199001011235有误") == "身份证号310101199001011235有误", "wrong check digit: left as is")
        #expect(redact("身份证号11010519491231002X") == "身份证号〔证件号码〕")
        #expect(redact("身份证号11010519491231002x。") == "身份证号〔证件号码〕。", "lower-case x")
        #expect(redact("证件号码：440524198001010013") == "证件号码：〔证件号码〕")
        #expect(redact("１１０１０５１９４９１２３１００２Ｘ") == "〔证件号码〕", "full-width, with Ｘ")
        #expect(redact("110105 19491231 002X") == "〔证件号码〕", "grouped 6-8-4")
        #expect(redact("110105194913310024") == "110105194913310024", "no 13th month")
    }

    @Test func bankCards() {
        #expect(redact("退款到卡6222021234567890128") == "退款到卡〔银行卡号〕")  // Luhn-valid, 19 digits
        #expect(redact("卡号 4111 1111 1111 1111") == "卡号 〔银行卡号〕")
        #expect(redact("6222021234567890123") == "6222021234567890123", "fails the Luhn check")
    }

    @Test func emailAddresses() {
        #expect(redact("发到zhang.san@example.com.cn就行") == "发到〔邮箱〕就行")
        #expect(redact("邮箱123456789@qq.com。") == "邮箱〔邮箱〕。")
        #expect(redact("ｌｉｓｉ＠１６３．ｃｏｍ") == "〔邮箱〕", "full-width")
        #expect(redact("a+b_c-d@sub-domain.example.org") == "〔邮箱〕")
        #expect(redact("@12345 热线") == "@12345 热线")
        #expect(redact("user@localhost") == "user@localhost", "no dot: not an address")
    }

    @Test func licencePlates() {
        #expect(redact("沪A12345的车一直停在消防通道") == "〔车号〕的车一直停在消防通道")
        #expect(redact("车牌沪AD12345（新能源）") == "车牌〔车号〕（新能源）")
        #expect(redact("沪A·8K9Q2") == "〔车号〕")
        #expect(redact("沪a１２３４５") == "〔车号〕", "lower case and full-width")
        #expect(redact("沪B1234学") == "〔车号〕", "driving-school plate")
        #expect(redact("京A12345 和 粤B54321") == "〔车号〕 和 〔车号〕")
        #expect(redact("沪ICP备12345678号") == "沪ICP备12345678号", "an ICP filing number is not a plate")
        #expect(redact("新ABCDE") == "新ABCDE", "letters only")
    }

    @Test func falsePositivesAreLeftAlone() {
        for text in [
            "我打了12345热线三次都没人管",
            "市民热线12345，工单号20261015000123",
            "工单号：GD2026101500012",
            "2026-10-15 提交的申请，2026年10月15日受理",
            "20261015 那天去的",
            "第12345号通知",
            "金额15000元，面积128.5平方米",
            "营业执照统一社会信用代码91310115MA1K3XXXX0",
            "在12345平台反映过，编号12345-2026-000123",
            "交了13000元押金",
            "订单号 1381234567890",  // 13 digits: not a mobile
            "邮编200120",
        ] {
            #expect(redact(text) == text, "\(text)")
        }
    }

    @Test func offsetsAreThoseOfTheOriginal() {
        let found = r.findings(in: "手机：１３８１２３４５６７８，邮箱a@b.cn")
        #expect(found.map(\.kind) == [.mobile, .email])
        #expect(found[0].range == 3..<14)
    }

    @Test func placeholdersTriggerNoRule() {
        // A placeholder must not change what the engine says: none of them may match a rule,
        // an item alias or a department.
        for kind in Redactor.Kind.allCases {
            let result = Rules.engine.classify(kind.placeholder)
            #expect(result.evidence.isEmpty, "\(kind.placeholder): \(result.evidence.map(\.rule))")
        }
    }
}
