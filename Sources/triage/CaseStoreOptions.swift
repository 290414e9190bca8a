public import ArgumentParser
import Foundation
import TriageCases
import TriageServer

extension CaseDesk.SecureCookies: ExpressibleByArgument {}

/// The case database option shared by `users`, `tokens` and `cases`.
struct CaseStoreOptions: ParsableArguments {
    @Option(name: .long, help: "The case database (default: $TRIAGE_DB, then ./triage-cases.sqlite).")
    var db: String?

    /// The file: `--db`, else `$TRIAGE_DB`, else `./triage-cases.sqlite`; and whether it was chosen by default.
    var resolved: (path: String, defaulted: Bool) {
        if let db { return (db, false) }
        return (ProcessInfo.processInfo.environment["TRIAGE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "triage-cases.sqlite", true)
    }

    /// Opens (creating and migrating if needed) the store; says on standard error which file when
    /// it was not given. Exits 1 when it cannot be opened.
    func open() throws -> SQLiteCaseStore {
        let (path, defaulted) = resolved
        if defaulted { Output.error("triage: case database \(path) (choose another with --db)") }
        do {
            return try SQLiteCaseStore(path: path)
        } catch {
            Output.error("triage: cannot open the case database \(path): \(error)")
            throw ExitCode(1)
        }
    }
}

/// Prints a one-line error for a store or account failure and exits with `code`.
func fail(_ error: any Error, code: Int32 = 1) -> ExitCode {
    Output.error("triage: \(error)")
    return ExitCode(code)
}

/// `YYYY-MM-DD` → start of that day, Asia/Shanghai; for --since.
func parseDay(_ text: String, _ flag: String) throws -> Int64 {
    guard let t = CaseTime.startOfDay(text) else { throw ValidationError("\(flag) '\(text)' is not a date YYYY-MM-DD") }
    return t
}

/// Writes to `-o FILE` or standard output.
func emit(_ text: String, to path: String?) throws {
    if let path {
        try writeFile(path, text)
    } else {
        Output.write(text)
        Output.flush()
    }
}

/// Reads a password: at a terminal, asked twice without echo; otherwise the first line of standard input.
/// Never from the command line, where other users could read it in the process list.
enum PasswordInput {
    static func read(confirm: Bool, prompt: String) throws -> String {
        if isatty(0) == 1 {
            let first = try readHidden(prompt)
            if confirm {
                let second = try readHidden("Repeat: ")
                guard first == second else {
                    Output.error("triage: the passwords differ")
                    throw ExitCode(1)
                }
            }
            return first
        }
        var reader = LineReader(maxLineBytes: 4096)
        guard case .line(let line)? = reader.next(), let s = String(validating: line, as: UTF8.self), !s.isEmpty else {
            Output.error("triage: no password on standard input (one line)")
            throw ExitCode(1)
        }
        return s
    }

    static func readHidden(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(0, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while Foundation.read(0, &c, 1) == 1, c != 0x0A { bytes.append(c) }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            Output.error("triage: the password is not valid UTF-8")
            throw ExitCode(1)
        }
        return s
    }
}
