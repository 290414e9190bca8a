import Foundation

/// Random secrets and their stored form.
///
/// Session and API tokens are 32 bytes from the system's cryptographic generator
/// (`SystemRandomNumberGenerator`: getrandom(2) on Linux, arc4random on Darwin). The store keeps only
/// their SHA-256. Because a token carries 256 bits of entropy, an unsalted, unkeyed hash is enough:
/// nobody can guess tokens to match a stolen hash, and a stolen database gives no usable token.
/// (Passwords are different: people choose them, so they get bcrypt.)
public enum Secrets {
    /// `count` random bytes from the system's cryptographic generator.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &g) }
    }

    /// A new secret: `prefix` and base64url of 32 random bytes (43 characters, no padding).
    public static func token(prefix: String = "") -> String { prefix + base64url(randomBytes(32)) }

    /// The stored form of a token: SHA-256 of its UTF-8, lower-case hex.
    public static func hash(_ token: String) -> String { Digest.sha256Hex(Array(token.utf8)) }

    /// Compares without stopping at the first difference, so the time taken does not tell how many
    /// leading bytes matched. Only the lengths (not secret: hashes are all 64) may end it early.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// ``constantTimeEquals(_:_:)`` over the UTF-8 of two strings.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    /// Base64url without padding (RFC 4648 §5).
    public static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
