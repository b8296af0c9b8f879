package dev.keyward.proxy;

import dev.keyward.vault.HttpHeaders;
import dev.keyward.vault.ProviderDefinition;
import dev.keyward.vault.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The request headers the upstream receives: the provider's static headers, the client headers the
 * provider selects for pass-through, and the credential header built from the stored secret. The
 * transport adds only {@code Host} and the body's framing. Nothing else the client sent is
 * forwarded. When names collide, the credential wins over everything and a static header over a
 * client's, so a client can never supply the provider's key or override its fixed values.
 */
final class UpstreamHeaders {
    static final int MAX_VALUE_LENGTH = 8192;

    private UpstreamHeaders() {}

    /**
     * @param clientHeader the client's values for a header name (any case), empty when absent
     * @return name → value, in the order they are sent
     * @throws ProxyRefusal 400 for a selected client header whose value is unsafe; 409 for a stored
     *         credential that cannot be sent as a header
     */
    static Map<String, String> build(
            ProxiedProvider provider, StoredCredential credential, Function<String, List<String>> clientHeader)
            throws ProxyRefusal {
        Map.Entry<String, String> credentialHeader = credentialHeader(provider.definition(), credential);
        String reserved = credentialHeader.getKey().toLowerCase(Locale.ROOT);
        Map<String, String> out = new LinkedHashMap<>();
        List<String> taken = new ArrayList<>();
        taken.add(reserved);
        for (Map.Entry<String, String> h : provider.rules().staticHeaders().entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (!taken.contains(lower)) {
                taken.add(lower);
                out.put(h.getKey(), h.getValue());
            }
        }
        for (String name : provider.rules().passThroughHeaders()) {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> values = clientHeader.apply(name);
            if (taken.contains(lower) || values == null || values.isEmpty()) {
                continue;
            }
            String value = String.join(", ", values);
            if (!HttpHeaders.isValue(value) || value.length() > MAX_VALUE_LENGTH) {
                throw new ProxyRefusal(
                        400,
                        "invalid_header",
                        "a forwarded header holds control or non-ASCII characters, or is too long");
            }
            taken.add(lower);
            out.put(name, value);
        }
        out.put(credentialHeader.getKey(), credentialHeader.getValue());
        return out;
    }

    /** @return the header that carries the credential, in the form the provider's kind names */
    static Map.Entry<String, String> credentialHeader(ProviderDefinition provider, StoredCredential credential)
            throws ProxyRefusal {
        Map.Entry<String, String> header = switch (provider.credentialKind()) {
            case BEARER -> Map.entry("Authorization", "Bearer " + credential.secret);
            case BASIC ->
                Map.entry(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((credential.username + ":" + credential.password)
                                                .getBytes(StandardCharsets.UTF_8)));
            case API_KEY_HEADER -> Map.entry(provider.credentialName(), credential.secret);
            case COOKIE -> Map.entry("Cookie", provider.credentialName() + "=" + credential.secret);
        };
        boolean present = provider.credentialKind() == dev.keyward.vault.CredentialKind.BASIC
                ? credential.username != null && credential.password != null
                : credential.secret != null;
        if (!present || !HttpHeaders.isValue(header.getValue())) {
            throw new ProxyRefusal(
                    409,
                    "credential_unusable",
                    "the stored credential does not fit this provider's credential kind; store it again");
        }
        return header;
    }
}
