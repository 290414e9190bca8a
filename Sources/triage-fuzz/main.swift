// The fuzz targets' program (issue 13). Built two ways:
//
// - by scripts/fuzz.sh, with `-sanitize=fuzzer,address -DFUZZING`: libFuzzer drives the target
//   named by TRIAGE_FUZZ_TARGET (`LLVMFuzzerRunDriver`, libFuzzer's entry for programs with a
//   main of their own), and every flag is libFuzzer's;
// - in the ordinary build, as `triage-fuzz replay TARGET FILE|DIR ...`: runs inputs (a corpus,
//   a crash file) through the same target and says which break it.
import Foundation
import FuzzTargets

#if FUZZING
import CLibFuzzer

let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["TRIAGE_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("TRIAGE_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        exit(2)
    }
    return t
}()

_ = fuzzTarget
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv) { data, size in
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    do throws(FuzzFailure) {
        try fuzzTarget.run(bytes)
    } catch {
        FileHandle.standardError.write(Data("triage-fuzz \(fuzzTarget.rawValue): \(error.message)\n".utf8))
        abort()  // libFuzzer keeps the input as a crash file
    }
    return 0
})
#else
let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 3, args[0] == "replay", let target = FuzzTarget(rawValue: args[1]) else {
    print("usage: triage-fuzz replay TARGET FILE|DIR ...   (TARGET: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
    print("Runs inputs through a fuzz target; scripts/fuzz.sh builds the fuzzing version.")
    exit(2)
}
var files: [String] = []
for path in args[2...] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
    if isDir.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        files += names.sorted().map { (path as NSString).appendingPathComponent($0) }
    } else {
        files.append(path)
    }
}
var failed = 0
for file in files {
    guard let data = FileManager.default.contents(atPath: file) else { continue }
    do throws(FuzzFailure) {
        try target.run([UInt8](data))
    } catch {
        failed += 1
        print("\(file): \(error.message)")
    }
}
print("triage-fuzz \(target.rawValue): \(files.count) input(s), \(failed) failed")
exit(failed == 0 ? 0 : 1)
#endif
