package dev.appstrate.desktop.client;

/**
 * Where the app's server is and how to authenticate: the embedded server with its owner token
 * (plus the application header), or a remote server with an API key (which pins its application).
 */
public record ServerEndpoint(String baseUrl, String token, boolean embedded) {
    public ServerEndpoint {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        token = token == null ? "" : token.trim();
    }

    public boolean apiKey() {
        return token.startsWith("ask_");
    }
}
