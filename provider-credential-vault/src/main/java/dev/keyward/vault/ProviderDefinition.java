package dev.keyward.vault;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An upstream provider users can bind a credential for: its id, name, credential kind and what the
 * header proxy may send to it. Kept per realm as a realm attribute ({@link ProviderDefinitions}),
 * so realm export and import carry it. JSON shape: provider-credential-vault/README.md, "Provider definitions".
 *
 * <p>Immutable. The {@code proxy} section belongs to the header proxy, which parses, checks and
 * normalises it (its {@code ProxyRules}, through {@link ProviderDefinitionCheck#normalise}); the
 * vault keeps it as JSON, verbatim, and reads only the upstream origin from it ({@link #upstreamOrigin}),
 * which a stored credential is bound to.
 *
 * @param id lower-case id used in URLs: {@code [a-z0-9][a-z0-9-]{0,62}}
 * @param displayName what users see
 * @param credentialKind how the upstream expects the credential
 * @param credentialName header name ({@code api-key-header}) or cookie name ({@code cookie}); null otherwise
 * @param proxy what the header proxy may send, as JSON; null until the provider is used through the proxy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderDefinition(
        String id, String displayName, CredentialKind credentialKind, String credentialName, ObjectNode proxy) {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public ProviderDefinition {
        proxy = proxy == null ? null : proxy.deepCopy();
    }

    /** @return a copy of the proxy section (the definition itself stays unchanged); null for none */
    @Override
    public ObjectNode proxy() {
        return proxy == null ? null : proxy.deepCopy();
    }

    /** @return whether the definition has a proxy section */
    public boolean proxied() {
        return proxy != null;
    }

    /** @return this definition with another proxy section (e.g. its normalised form) */
    public ProviderDefinition withProxy(ObjectNode replacement) {
        return new ProviderDefinition(id, displayName, credentialKind, credentialName, replacement);
    }

    /**
     * @return the origin ({@link UpstreamOrigin#of}) of {@code proxy.baseUrl}; empty without a proxy
     *         section or base URL
     * @throws IllegalArgumentException if the base URL has no http(s) origin (never for a definition
     *         {@link ProviderDefinitions} hands out: it refuses those)
     */
    public Optional<String> upstreamOrigin() {
        JsonNode baseUrl = proxy == null ? null : proxy.get("baseUrl");
        if (baseUrl == null || baseUrl.isNull()) {
            return Optional.empty();
        }
        if (!baseUrl.isTextual()) {
            throw new IllegalArgumentException("not a URL");
        }
        return Optional.of(UpstreamOrigin.of(baseUrl.textValue()));
    }

    /**
     * Checks the vault's own rules and normalises what has one normal form; the proxy section is left
     * to the header proxy ({@link ProviderDefinitions#parse(org.keycloak.models.KeycloakSession, String, String)}).
     *
     * @param pathId the id in the request path, which the body must match if it names one
     * @return the normalised definition: {@code id} filled in from the path, {@code credentialName}
     *         dropped for kinds that have none
     * @throws InvalidInputException naming the first broken rule
     */
    ProviderDefinition validated(String pathId) throws InvalidInputException {
        String checkedId = id == null ? pathId : id;
        if (!checkedId.equals(pathId)) {
            throw new InvalidInputException("id in the body does not match the id in the path");
        }
        if (!ID.matcher(checkedId).matches()) {
            throw new InvalidInputException("id must be 1 to 63 of a-z 0-9 and '-', starting with a letter or digit");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 100) {
            throw new InvalidInputException("displayName is required (at most 100 characters)");
        }
        if (credentialKind == null) {
            throw new InvalidInputException("credentialKind is required: bearer, basic, api-key-header or cookie");
        }
        String checkedName = credentialName;
        switch (credentialKind) {
            case API_KEY_HEADER -> {
                if (!HttpHeaders.isName(credentialName)
                        || HttpHeaders.NEVER_SELECTABLE.contains(HttpHeaders.lower(credentialName))) {
                    throw new InvalidInputException("api-key-header needs credentialName, a header name that is not"
                            + " a connection, host, cookie or authorization header");
                }
            }
            case COOKIE -> {
                if (!HttpHeaders.isName(credentialName) || credentialName.contains("=")) {
                    throw new InvalidInputException("cookie needs credentialName, the cookie's name (a token)");
                }
            }
            default -> checkedName = null;
        }
        return new ProviderDefinition(checkedId, displayName, credentialKind, checkedName, proxy);
    }
}
