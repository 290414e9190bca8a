/// The pre-review page, served at `/` and `/assets/`; embedded from Sources/TriageServer/Web/ at build time.
public enum PageAssets {
    /// Web/index.html.
    public static var html: String { embeddedIndexHTML }
    /// Web/app.css.
    public static var css: String { embeddedAppCSS }
    /// Web/app.js.
    public static var js: String { embeddedAppJS }
}

/// The OpenAPI 3.1 document of the HTTP API, served at `/openapi.yaml`; embedded from docs/openapi.yaml at build time.
public enum OpenAPIDocument {
    /// docs/openapi.yaml.
    public static var yaml: String { embeddedOpenAPIYAML }
}
