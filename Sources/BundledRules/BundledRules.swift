/// The rule set bundled into the binary at build time (the package's `rules/` folder).
public enum BundledRules {
    /// Every file, with the text exactly as it was in `rules/`.
    public static var files: [(path: String, text: String)] { embeddedRuleFiles }
}
