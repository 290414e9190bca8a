public import ArgumentParser
import Foundation
import TriageCases

extension Role: ExpressibleByArgument {}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the accounts of pre-review staff (签入 the desk's pages).",
        subcommands: [Add.self, List.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. The password is asked at the terminal without echo, or read as one line from standard input.",
            discussion: """
                Passwords are stored as bcrypt hashes (cost 12); 8 characters at least, 72 bytes at most. \
                A password is never taken from the command line.
                """)

        @Argument(help: "Sign-in name: ASCII letters, digits, '.', '_', '-'.")
        var username: String

        @Option(name: .long, help: "Name shown to people, e.g. 张三 (default: the username).")
        var name: String?

        @Option(name: .long, help: "staff or admin.")
        var role: Role = .staff

        @OptionGroup var store: CaseStoreOptions

        func validate() throws {
            do { try Accounts.checkUsername(username) } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let s = try store.open()
            let password = try PasswordInput.read(confirm: true, prompt: "Password for \(username): ")
            do {
                let user = try await Accounts(store: s).addUser(username: username, displayName: name, password: password, role: role)
                Output.error("triage: added \(user.role.rawValue) \(user.username) (\(user.displayName))")
            } catch let e as AccountError {
                throw fail(e)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")

        @OptionGroup var store: CaseStoreOptions

        @Option(name: .long, help: "text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            let users = try await Accounts(store: try store.open(), cost: 4).users()
            switch format {
            case .json:
                Output.line(OrderedJSON.array(users.map {
                    .object([("username", .string($0.username)), ("name", .string($0.displayName)), ("role", .string($0.role.rawValue)),
                             ("created_at", .string(CaseTime.iso($0.createdAt))), ("disabled", .bool($0.disabled))])
                }).pretty)
            case .text:
                Output.line(TextTable.render([["username", "name", "role", "created", "disabled"]] + users.map {
                    [$0.username, $0.displayName, $0.role.rawValue, CaseTime.iso($0.createdAt), $0.disabled ? "yes" : "no"]
                }, left: 5))
            }
            Output.flush()
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: they can no longer sign in and their sessions end.")

        @Argument(help: "The username.")
        var username: String

        @OptionGroup var store: CaseStoreOptions

        func run() async throws {
            do {
                try await Accounts(store: try store.open(), cost: 4).disable(username)
                Output.error("triage: disabled \(username)")
            } catch let e as AccountError {
                throw fail(e)
            }
        }
    }
}

extension TokenScope: ExpressibleByArgument {}

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API bearer tokens for other systems (the 12345 platform, the window system).",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once on standard output; only its SHA-256 is stored.")

        @Argument(help: "A unique name, e.g. 12345-platform.")
        var name: String

        @Option(name: .long, parsing: .upToNextOption, help: "Scopes: classify, cases:read, cases:write (repeat or list).")
        var scope: [TokenScope] = []

        @OptionGroup var store: CaseStoreOptions

        func validate() throws {
            if scope.isEmpty { throw ValidationError("give at least one --scope (classify, cases:read, cases:write)") }
            do { try Accounts.checkUsername(name) } catch { throw ValidationError("a token name is 1–64 ASCII letters, digits, '.', '_' or '-'") }
        }

        func run() async throws {
            do {
                let issued = try await Accounts(store: try store.open(), cost: 4).addToken(name: name, scopes: Set(scope))
                Output.line(issued.secret)
                Output.flush()
                Output.error("triage: token \(name) (\(issued.token.scopes.map(\.rawValue).sorted().joined(separator: " "))): store it now, it is not shown again")
            } catch let e as AccountError {
                throw fail(e)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var store: CaseStoreOptions

        @Option(name: .long, help: "text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            let tokens = try await Accounts(store: try store.open(), cost: 4).tokens()
            func scopes(_ t: APIToken) -> String { t.scopes.map(\.rawValue).sorted().joined(separator: " ") }
            switch format {
            case .json:
                Output.line(OrderedJSON.array(tokens.map {
                    .object([("name", .string($0.name)), ("scopes", .array($0.scopes.map(\.rawValue).sorted().map(OrderedJSON.string))),
                             ("created_at", .string(CaseTime.iso($0.createdAt))), ("last_used_at", .optional($0.lastUsedAt.map(CaseTime.iso))),
                             ("revoked_at", .optional($0.revokedAt.map(CaseTime.iso)))])
                }).pretty)
            case .text:
                Output.line(TextTable.render([["name", "scopes", "created", "last used", "revoked"]] + tokens.map {
                    [$0.name, scopes($0), CaseTime.iso($0.createdAt), $0.lastUsedAt.map(CaseTime.iso) ?? "never",
                     $0.revokedAt.map(CaseTime.iso) ?? "no"]
                }, left: 5))
            }
            Output.flush()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working at once.")

        @Argument(help: "The token's name.")
        var name: String

        @OptionGroup var store: CaseStoreOptions

        func run() async throws {
            do {
                try await Accounts(store: try store.open(), cost: 4).revokeToken(name)
                Output.error("triage: revoked \(name)")
            } catch let e as AccountError {
                throw fail(e)
            }
        }
    }
}
