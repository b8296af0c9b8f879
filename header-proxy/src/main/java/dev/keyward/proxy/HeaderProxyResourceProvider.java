package dev.keyward.proxy;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Hands JAX-RS the proxy resource for one request. */
final class HeaderProxyResourceProvider implements RealmResourceProvider {
    private final KeycloakSession session;
    private final ProxySettings settings;
    private final UpstreamClient upstream;

    HeaderProxyResourceProvider(KeycloakSession session, ProxySettings settings, UpstreamClient upstream) {
        this.session = session;
        this.settings = settings;
        this.upstream = upstream;
    }

    @Override
    public Object getResource() {
        return new HeaderProxyResource(session, settings, upstream);
    }

    @Override
    public void close() {
    }
}
