/// The pre-review page, served at `/` and `/assets/`; embedded from Sources/TriageServer/Web/ at build time.
public enum PageAssets {
    /// Web/index.html.
    public static var html: String { embeddedIndexHTML }
    /// Web/app.css.
    public static var css: String { embeddedAppCSS }
    /// Web/app.js.
    public static var js: String { embeddedAppJS }
    /// Web/print.html: the print view of one case (预审意见单), served at `/cases/{id}/print`.
    public static var printHTML: String { embeddedPrintHTML }

    /// One more file under `/assets/`.
    public struct File: Sendable {
        /// The name under `/assets/` and in Web/.
        public var name: String
        /// Its text.
        public var text: String
        /// Its Content-Type.
        public var type: String
    }

    /// The desk's further scripts and styles under `/assets/`.
    public static var deskFiles: [File] {
        [
            File(name: "common.js", text: embeddedCommonJS, type: "text/javascript; charset=utf-8"),
            File(name: "desk.js", text: embeddedDeskJS, type: "text/javascript; charset=utf-8"),
            File(name: "print.js", text: embeddedPrintJS, type: "text/javascript; charset=utf-8"),
            File(name: "print.css", text: embeddedPrintCSS, type: "text/css; charset=utf-8"),
        ]
    }
}

/// The OpenAPI 3.1 document of the HTTP API, served at `/openapi.yaml`; embedded from docs/openapi.yaml at build time.
public enum OpenAPIDocument {
    /// docs/openapi.yaml.
    public static var yaml: String { embeddedOpenAPIYAML }
}
