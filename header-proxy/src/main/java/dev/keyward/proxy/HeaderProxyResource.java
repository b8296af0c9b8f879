package dev.keyward.proxy;

import dev.keyward.common.BoundedBody;
import dev.keyward.common.RestRefusal;
import dev.keyward.common.ScopedBearer;
import dev.keyward.vault.ClientOrigins;
import dev.keyward.vault.CredentialVaultProvider;
import dev.keyward.vault.SecretBinding;
import dev.keyward.vault.StoredCredential;
import dev.keyward.vault.StrandedCredentialException;
import dev.keyward.vault.UndecryptableSecretException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code /realms/{realm}/header-proxy/{provider}/{path}}: calls the provider's upstream for the
 * token's user, with the headers the provider selects and the user's stored credential, and
 * streams the answer back. The checks run cheapest first and before anything is decrypted or sent:
 * token (the client scope {@code keyward-proxy}, audience, role if set), origin, provider, the
 * operator's allowance, method, path, body size, rate; then the credential, a stream slot and the
 * SSRF guard. Every refusal is a small JSON body.
 */
public class HeaderProxyResource {
    private static final ClientOrigins ORIGINS = new ClientOrigins(ProxySettings.SCOPE, exposedHeaders());

    private final KeycloakSession session;
    private final ProxySettings settings;
    private final UpstreamClient upstream;
    private final RefusedDefinitionLog refusedDefinitions;
    private final ScopedBearer access;

    HeaderProxyResource(
            KeycloakSession session,
            ProxySettings settings,
            UpstreamClient upstream,
            RefusedDefinitionLog refusedDefinitions) {
        this.session = session;
        this.settings = settings;
        this.upstream = upstream;
        this.refusedDefinitions = refusedDefinitions;
        this.access = new ScopedBearer(ProxySettings.SCOPE, settings.audience());
    }

    @GET
    @Path("{any: .+}")
    public Response get() {
        return handle("GET", null);
    }

    @HEAD
    @Path("{any: .+}")
    public Response head() {
        return handle("HEAD", null);
    }

    @DELETE
    @Path("{any: .+}")
    public Response delete() {
        return handle("DELETE", null);
    }

    @POST
    @Path("{any: .+}")
    @Consumes(MediaType.WILDCARD)
    public Response post(InputStream body) {
        return handle("POST", body);
    }

    @PUT
    @Path("{any: .+}")
    @Consumes(MediaType.WILDCARD)
    public Response put(InputStream body) {
        return handle("PUT", body);
    }

    @PATCH
    @Path("{any: .+}")
    @Consumes(MediaType.WILDCARD)
    public Response patch(InputStream body) {
        return handle("PATCH", body);
    }

    /**
     * CORS preflight. It carries no token: the origin must be one a client holding the proxy's
     * scope lists, and the real request is checked against its token's client. It names only the
     * provider's methods and headers.
     */
    @OPTIONS
    @Path("{any: .+}")
    public Response preflight() {
        if (session.getContext().getRequestHeaders().getHeaderString("Origin") == null) {
            return Response.noContent().build();
        }
        List<String> methods = List.of("GET", "HEAD");
        List<String> allowHeaders = new ArrayList<>(List.of("Authorization"));
        Optional<ProxyRules> rules = requestTarget()
                .flatMap(t -> ProxiedProvider.find(session, realm(), t.providerId()))
                .map(ProxiedProvider::rules);
        if (rules.isPresent()) {
            methods = rules.get().methods();
            allowHeaders.addAll(rules.get().passThroughHeaders());
        }
        return ORIGINS.preflight(session, methods, allowHeaders);
    }

    private Response handle(String method, InputStream body) {
        RealmModel realm = realm();
        String metricProvider = ProxyMetrics.UNKNOWN_PROVIDER;
        AccessToken token = null;
        String streamSlot = null;
        try {
            RequestTarget target = requestTarget()
                    .orElseThrow(() -> new ProxyRefusal(
                            404, "unknown_provider", "this realm has no proxied provider with that id"));
            AuthenticationManager.AuthResult auth = authenticate();
            token = auth.token();
            if (!settings.requiredRole().isEmpty()) {
                AccessToken.Access access = token.getResourceAccess(settings.audience());
                if (access == null || !access.isUserInRole(settings.requiredRole())) {
                    throw new RestRefusal(
                                    403, "insufficient_scope", "the token lacks the role the header proxy requires")
                            .challenge(ScopedBearer.challenge(realm.getName(), "insufficient_scope", null));
                }
            }
            if (!ORIGINS.allows(session, token)) {
                throw new ProxyRefusal(
                        403, "origin_not_allowed", "requests from this origin are not allowed for this token");
            }
            ProxiedProvider provider = ProxiedProvider.find(session, realm, target.providerId())
                    .orElseThrow(() -> new ProxyRefusal(
                            404, "unknown_provider", "this realm has no proxied provider with that id"));
            ProxyRules rules = provider.rules();
            metricProvider = provider.id();
            // A definition that came in by realm import or as a raw realm attribute skipped the admin
            // API's check: it gets nothing the operator did not allow, and the upstream sees nothing.
            Optional<String> excess = settings.allowance().excess(provider);
            if (excess.isPresent()) {
                refusedDefinitions.refused(realm.getName(), provider.id(), excess.get());
                throw new ProxyRefusal(
                        502,
                        "provider_not_permitted",
                        "this provider's definition asks for more than this server allows; a realm admin must change it");
            }
            if (!rules.methods().contains(method)) {
                throw ProxyRefusal.methodNotAllowed(String.join(", ", rules.methods()));
            }
            String pathAndQuery = UpstreamPath.resolve(
                    URI.create(rules.baseUrl()),
                    rules.pathPrefixes(),
                    target.rest(),
                    session.getContext().getUri().getRequestUri().getRawQuery());
            byte[] requestBody = body == null ? null : readBody(body);
            ProxyLimits limits = new ProxyLimits(session.singleUseObjects());
            int rate = rules.rateLimit() == null
                    ? settings.rateLimit()
                    : rules.rateLimit().requests();
            int window = rules.rateLimit() == null
                    ? settings.rateWindowSeconds()
                    : rules.rateLimit().windowSeconds();
            Optional<Long> wait = limits.claimRequest(
                    realm.getId(), auth.user().getId(), provider.id(), rate, window, Time.currentTime());
            if (wait.isPresent()) {
                throw ProxyRefusal.tooMany(
                        "rate_limited", "too many requests to this provider; try again later", wait.get());
            }
            Map<String, String> headers = upstreamHeaders(provider, auth.user().getId());
            streamSlot = limits.claimStream(realm.getId(), auth.user().getId(), settings.maxStreamsPerUser())
                    .orElseThrow(() -> ProxyRefusal.tooMany(
                            "too_many_streams",
                            "too many proxied requests are open for this user",
                            ProxyLimits.STREAM_SLOT_SECONDS / 4));
            // Everything that needs the database is done: end the transaction now, so a long
            // upstream call or stream holds no connection and outlives no transaction timeout.
            session.getTransactionManager().commit();
            CloseableHttpResponse answer = upstream.send(provider, method, pathAndQuery, headers, requestBody);
            ProxyMetrics.bytes(realm.getName(), provider.id(), "request", requestBody == null ? 0 : requestBody.length);
            Response response = relay(answer, realm.getName(), provider.id(), streamSlot, token);
            streamSlot = null; // the relay owns it now
            ProxyMetrics.request(
                    realm.getName(),
                    provider.id(),
                    "upstream",
                    answer.getStatusLine().getStatusCode());
            return response;
        } catch (RestRefusal refusal) {
            ProxyMetrics.request(realm.getName(), metricProvider, "proxy", refusal.status());
            return refusal(refusal, token);
        } finally {
            if (streamSlot != null) {
                StreamSlot.release(session.getKeycloakSessionFactory(), streamSlot);
            }
        }
    }

    /** A token of this realm whose client was granted the proxy's scope, with the proxy's audience. */
    private AuthenticationManager.AuthResult authenticate() throws RestRefusal {
        return access.authenticate(session);
    }

    private Map<String, String> upstreamHeaders(ProxiedProvider provider, String userId) throws ProxyRefusal {
        CredentialVaultProvider vault = session.getProvider(CredentialVaultProvider.class);
        Optional<byte[]> stored;
        try {
            // bound to this very definition, whose origin and credential kind/name the request then uses
            stored = vault.read(SecretBinding.user(realm().getId(), userId, provider.definition()));
        } catch (UndecryptableSecretException e) {
            // the vault has logged which row; the caller learns only that it is unusable now
            throw new ProxyRefusal(
                    500, "credential_unreadable", "the stored credential cannot be used; store it again");
        } catch (StrandedCredentialException e) {
            // the vault has logged which row; nothing was decrypted and nothing goes upstream
            ProxyMetrics.strandedCredential(realm().getName(), provider.id());
            throw new ProxyRefusal(
                    409,
                    "credential_unusable",
                    "the provider's definition changed since this credential was stored; store it again");
        }
        byte[] plaintext = stored.orElseThrow(
                () -> new ProxyRefusal(403, "no_credential", "store a credential for this provider first"));
        try {
            return UpstreamHeaders.build(
                    provider,
                    StoredCredential.fromBytes(plaintext),
                    name -> session.getContext().getRequestHeaders().getRequestHeader(name));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private byte[] readBody(InputStream in) throws RestRefusal {
        return BoundedBody.read(
                in,
                settings.maxRequestBody(),
                session.getContext().getRequestHeaders().getHeaderString("Content-Length"));
    }

    /** Status, allowed headers and the body, streamed: at most one buffer of it is held at a time. */
    private Response relay(
            CloseableHttpResponse answer, String realmName, String providerId, String streamSlot, AccessToken token)
            throws ProxyRefusal {
        Response.ResponseBuilder response =
                Response.status(answer.getStatusLine().getStatusCode());
        for (Header h : answer.getAllHeaders()) {
            if (ResponseHeaders.allowed(h.getName(), h.getValue())) {
                response.header(h.getName(), h.getValue());
            }
        }
        HttpEntity entity = answer.getEntity();
        if (entity == null) {
            UpstreamClient.closeQuietly(answer);
            StreamSlot.release(session.getKeycloakSessionFactory(), streamSlot);
        } else {
            InputStream in;
            byte[] first;
            try {
                in = entity.getContent();
                byte[] buffer = new byte[8192];
                int n = in.read(buffer);
                first = n < 0 ? new byte[0] : Arrays.copyOf(buffer, n);
            } catch (IOException e) {
                UpstreamClient.closeQuietly(answer);
                throw e instanceof java.net.SocketTimeoutException
                        ? new ProxyRefusal(504, "upstream_timeout", "the upstream did not answer in time")
                        : new ProxyRefusal(502, "upstream_unreachable", "the upstream broke off its response");
            }
            response.entity(new StreamSlot.Relay(
                    session.getKeycloakSessionFactory(),
                    answer,
                    in,
                    first,
                    streamSlot,
                    count -> ProxyMetrics.bytes(realmName, providerId, "response", count)));
        }
        return cors(response, token);
    }

    private Response refusal(RestRefusal refusal, AccessToken token) {
        return cors(Response.fromResponse(refusal.toResponse()), token);
    }

    /**
     * The CORS headers for a real request: the token's client's origins once there is a token;
     * before that (a 401, an unknown provider), the origins of the clients holding the scope.
     */
    private Response cors(Response.ResponseBuilder response, AccessToken token) {
        return ORIGINS.add(session, token, response).build();
    }

    private static Collection<String> exposedHeaders() {
        List<String> exposed = new ArrayList<>(ResponseHeaders.ALLOWED);
        exposed.addAll(List.of("Retry-After", "WWW-Authenticate", "Allow"));
        return exposed;
    }

    private RealmModel realm() {
        return session.getContext().getRealm();
    }

    /** The provider id and the raw path below it, from {@code realms/{realm}/header-proxy/{provider}/...}. */
    private Optional<RequestTarget> requestTarget() {
        // raw, still percent-encoded: UpstreamPath must see what the client sent, not a decoded copy
        String raw = session.getContext().getUri().getRequestUri().getRawPath();
        String base = session.getContext().getUri().getBaseUri().getRawPath();
        if (base != null && raw.startsWith(base)) {
            raw = raw.substring(base.length());
        }
        String[] parts = raw.startsWith("/") ? raw.substring(1).split("/", 5) : raw.split("/", 5);
        if (parts.length < 4 || !parts[0].equals("realms") || !parts[2].equals(HeaderProxyResourceProviderFactory.ID)) {
            return Optional.empty();
        }
        return Optional.of(new RequestTarget(parts[3], parts.length == 5 ? "/" + parts[4] : ""));
    }

    private record RequestTarget(String providerId, String rest) {}
}
