internal import ChineseVariants

extension NormalizedText {
    /// Why traditional Chinese characters are left as they are, or `nil` when
    /// they are simplified. Set when OpenCC's `t2s.json` cannot be loaded:
    /// matching still works, but rules written in simplified characters then
    /// miss messages written in traditional ones.
    package static var traditionalChineseError: String? {
        TraditionalToSimplified.shared.error?.description
    }
}
