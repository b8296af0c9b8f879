package dev.keyward.proxy;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Hands JAX-RS the proxy resource for one request. */
final class HeaderProxyResourceProvider implements RealmResourceProvider {
    private final KeycloakSession session;
    private final ProxySettings settings;
    private final UpstreamClient upstream;
    private final RefusedDefinitionLog refusedDefinitions;

    HeaderProxyResourceProvider(
            KeycloakSession session,
            ProxySettings settings,
            UpstreamClient upstream,
            RefusedDefinitionLog refusedDefinitions) {
        this.session = session;
        this.settings = settings;
        this.upstream = upstream;
        this.refusedDefinitions = refusedDefinitions;
    }

    @Override
    public Object getResource() {
        return new HeaderProxyResource(session, settings, upstream, refusedDefinitions);
    }

    @Override
    public void close() {}
}
