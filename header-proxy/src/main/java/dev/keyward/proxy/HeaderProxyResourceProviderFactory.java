package dev.keyward.proxy;

import java.io.IOException;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * {@code /realms/{realm}/header-proxy}: options and their defaults. The upstream client (a
 * connection pool and a timer thread) is made on first use and shared by every request of this node.
 * The operator's allowance for provider definitions is checked here at start-up and enforced at
 * every call; {@link ProxyDefinitionCheckFactory} applies it when an admin saves a definition.
 */
public class HeaderProxyResourceProviderFactory implements RealmResourceProviderFactory {
    public static final String ID = "header-proxy";
    private static final Logger LOG = Logger.getLogger(HeaderProxyResourceProviderFactory.class);

    private final RefusedDefinitionLog refusedDefinitions = new RefusedDefinitionLog();
    private ProxySettings settings;
    private volatile UpstreamClient upstream;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
        settings = ProxySettings.from(config);
        OperatorAllowance allowance = settings.allowance();
        if (!allowance.ranges().isEmpty()) {
            LOG.infof(
                    "header proxy: provider definitions may be allowed %s (%s)",
                    allowance.ranges(), ProxySettings.ALLOWED_PRIVATE_RANGES);
        }
        for (var broad : allowance.broadRanges()) {
            LOG.warnf(
                    "header proxy: %s lists %s, wider than any one private network: every realm admin may point"
                            + " providers anywhere in it (loopback and cloud metadata only where listed on their own)",
                    ProxySettings.ALLOWED_PRIVATE_RANGES, broad);
        }
        if (allowance.allowsMetadataHeaders()) {
            LOG.warnf(
                    "header proxy: %s is on: provider definitions may send cloud-metadata headers",
                    ProxySettings.ALLOW_METADATA_HEADERS);
        }
    }

    /** @return what the operator lets provider definitions ask for (the save-time check reads it too) */
    OperatorAllowance allowance() {
        return settings.allowance();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new HeaderProxyResourceProvider(session, settings, upstream(), refusedDefinitions);
    }

    private UpstreamClient upstream() {
        UpstreamClient client = upstream;
        if (client == null) {
            synchronized (this) {
                if (upstream == null) {
                    upstream = new UpstreamClient(settings);
                }
                client = upstream;
            }
        }
        return client;
    }

    @Override
    public void close() {
        if (upstream != null) {
            try {
                upstream.close();
            } catch (IOException e) {
                LOG.debugf(
                        "header proxy: closing the upstream client failed: %s",
                        e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(ProxySettings.AUDIENCE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(ProxySettings.DEFAULT_AUDIENCE)
                .helpText("Audience every access token must name in 'aud' (the keyward-proxy scope's mapper adds it).")
                .add()
                .property()
                .name(ProxySettings.REQUIRED_ROLE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(ProxySettings.DEFAULT_ROLE)
                .helpText("Role of the audience client the token must also carry, to limit which users may call; empty"
                        + " (default) for none.")
                .add()
                .property()
                .name(ProxySettings.MAX_REQUEST_BODY)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(1_048_576)
                .helpText("Largest request body forwarded, in bytes.")
                .add()
                .property()
                .name(ProxySettings.CONNECT_TIMEOUT)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(5)
                .helpText("Seconds to connect to an upstream.")
                .add()
                .property()
                .name(ProxySettings.RESPONSE_TIMEOUT)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(30)
                .helpText("Seconds until the upstream's response headers must have arrived.")
                .add()
                .property()
                .name(ProxySettings.IDLE_TIMEOUT)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(30)
                .helpText("Seconds an upstream may stay silent while sending.")
                .add()
                .property()
                .name(ProxySettings.RATE_LIMIT)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(600)
                .helpText("Requests per user and provider per window (a provider may set its own).")
                .add()
                .property()
                .name(ProxySettings.RATE_WINDOW)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(60)
                .helpText("Rate window, in seconds.")
                .add()
                .property()
                .name(ProxySettings.MAX_STREAMS_PER_USER)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(8)
                .helpText("Proxied requests one user may have open at once, across the cluster.")
                .add()
                .property()
                .name(ProxySettings.MAX_CONNECTIONS)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(200)
                .helpText("Upstream connections this node keeps at most.")
                .add()
                .property()
                .name(ProxySettings.ALLOWED_PRIVATE_RANGES)
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Non-public ranges (comma-separated CIDR) that provider definitions may be allowed; none by"
                        + " default. Loopback and cloud-metadata addresses only where a range inside them is listed.")
                .add()
                .property()
                .name(ProxySettings.ALLOW_METADATA_HEADERS)
                .type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue(false)
                .helpText("Lets provider definitions send cloud-metadata headers such as"
                        + " Metadata-Flavor or X-aws-ec2-metadata-token.")
                .add()
                .build();
    }
}
