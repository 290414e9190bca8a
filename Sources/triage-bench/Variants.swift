import ChineseVariants

// `triage-bench variants`: the normaliser's traditional-to-simplified table, one
// pair a line as two hexadecimal code points ("7D93 7ECF"), so that the Python
// side of the benchmark (bench/common.py) normalises exactly as the engine does.

func runVariants() {
    let table = TraditionalToSimplified.shared
    var out = ""
    for (t, s) in table.mappings {
        out += String(t.value, radix: 16, uppercase: true) + " " + String(s.value, radix: 16, uppercase: true) + "\n"
    }
    print(out, terminator: "")
}
