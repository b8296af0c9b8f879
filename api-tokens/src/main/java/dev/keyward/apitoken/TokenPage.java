package dev.keyward.apitoken;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.keycloak.common.util.HtmlUtils;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The user's page for their API tokens, {@code /realms/{realm}/api-tokens/page}, linked from the
 * account console's Applications through its public client (authorization code with PKCE, run by
 * the page's own script against the realm). The page holds no secret and no session of its own: its
 * script signs in like any public client, keeps the access token in memory and calls the
 * {@code api-tokens} REST API. Its assets are fixed files of this JAR, served with a policy that
 * lets the page load nothing but them and talk to nothing but this origin.
 */
final class TokenPage {
    static final String DEFAULT_CLIENT = "keyward-api-tokens-page";
    private static final String DIR = "/keyward-api-tokens-page/";
    private static final Map<String, String> ASSETS =
            Map.of("page.js", "text/javascript; charset=utf-8", "page.css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final Set<BrowserSecurityHeaders> OWN_HEADERS = Set.of(
            BrowserSecurityHeaders.CONTENT_SECURITY_POLICY,
            BrowserSecurityHeaders.CONTENT_SECURITY_POLICY_REPORT_ONLY,
            BrowserSecurityHeaders.X_FRAME_OPTIONS);

    private TokenPage() {}

    /** The page, or 404 when the realm has no enabled page client. */
    static Response page(KeycloakSession session) {
        RealmModel realm = session.getContext().getRealm();
        String clientId = ApiTokenSettings.of(realm).pageClient();
        if (!usable(
                realm,
                realm.getClientByClientId(clientId),
                session.getContext().getUri().getBaseUri())) {
            return headers(
                            session,
                            Response.status(Response.Status.NOT_FOUND)
                                    .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                                    .entity(read("off.html")))
                    .build();
        }
        String html = read("index.html")
                .replace(
                        "{{title}}",
                        HtmlUtils.escapeAttribute(
                                realm.getDisplayName() == null ? realm.getName() : realm.getDisplayName()))
                .replace("{{client}}", HtmlUtils.escapeAttribute(clientId));
        // no-store: the page shows a new token's text; it must not come back from a cache
        return headers(session, Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")), "no-store")
                .build();
    }

    /**
     * The page's client as the export has it: enabled, public, the code flow with PKCE S256 only,
     * full scope off, and the page as its only redirect target. A client with other redirect URIs,
     * a secret or other flows could hand the page's codes or tokens elsewhere: then the page is off.
     */
    static boolean usable(RealmModel realm, ClientModel client, URI base) {
        if (client == null
                || !client.isEnabled()
                || !client.isPublicClient()
                || !client.isStandardFlowEnabled()
                || client.isImplicitFlowEnabled()
                || client.isDirectAccessGrantsEnabled()
                || client.isServiceAccountsEnabled()
                || client.isFullScopeAllowed()
                || !"S256".equals(client.getAttribute("pkce.code.challenge.method"))
                || client.getRedirectUris().isEmpty()) {
            return false;
        }
        // the relative form the export uses, or the same address in full on this server: a URI of
        // another host that merely ends in the page's path would receive the page's codes
        String page = "/realms/" + realm.getName() + "/api-tokens/page";
        String absolute = base.resolve(page.substring(1)).toString();
        return client.getRedirectUris().stream().allMatch(uri -> uri.equals(page) || uri.equals(absolute));
    }

    /** One of the page's assets, or 404 for any other name. */
    static Response asset(KeycloakSession session, String name) {
        String type = ASSETS.get(name);
        if (type == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        return headers(session, Response.ok(read(name), type)).build();
    }

    /**
     * The realm's browser security headers (HSTS, robots, referrer...), but this page's own, stricter
     * policy in place of the realm's, which login pages loosen for their inline scripts; Keycloak
     * would overwrite it with the realm's unless told to leave the headers alone. Assets are
     * no-cache, so an upgraded pack's script reaches the browser on its next visit.
     */
    private static Response.ResponseBuilder headers(KeycloakSession session, Response.ResponseBuilder builder) {
        return headers(session, builder, "no-cache");
    }

    private static Response.ResponseBuilder headers(
            KeycloakSession session, Response.ResponseBuilder builder, String cache) {
        session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
        Map<String, String> realmHeaders = session.getContext().getRealm().getBrowserSecurityHeaders();
        for (BrowserSecurityHeaders header : BrowserSecurityHeaders.values()) {
            if (OWN_HEADERS.contains(header)) {
                continue;
            }
            String value = realmHeaders == null
                    ? header.getDefaultValue()
                    : realmHeaders.getOrDefault(header.getKey(), header.getDefaultValue());
            if (value != null && !value.isEmpty()) {
                builder.header(header.getHeaderName(), value);
            }
        }
        return builder.header(BrowserSecurityHeaders.CONTENT_SECURITY_POLICY.getHeaderName(), POLICY)
                .header(BrowserSecurityHeaders.X_FRAME_OPTIONS.getHeaderName(), "DENY")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Cache-Control", cache);
    }

    private static String read(String name) {
        try (InputStream in = TokenPage.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing page asset " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
