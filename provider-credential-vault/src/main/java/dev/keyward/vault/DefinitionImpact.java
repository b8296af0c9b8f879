package dev.keyward.vault;

import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * How many users' stored credentials a new definition of a provider strands: those bound to the
 * current definition's upstream origin and credential kind/name when the new one names others. A
 * change that keeps all three (path prefixes, methods, headers, limits, the display name) strands
 * none; a new provider strands none. Changing a definition back to an earlier origin and kind/name
 * makes the rows bound to it usable again.
 */
final class DefinitionImpact {

    private DefinitionImpact() {}

    /** @return rows usable now that the new definition would leave unusable */
    static long stranded(
            KeycloakSession session, CredentialVaultProvider vault, RealmModel realm, ProviderDefinition next) {
        Optional<ProviderDefinition> current = ProviderDefinitions.get(session, realm, next.id());
        if (current.isEmpty()) {
            return 0;
        }
        UpstreamBinding now = UpstreamBinding.of(current.get());
        if (now.matches(UpstreamBinding.of(next))) {
            return 0;
        }
        return vault.countBoundTo(realm.getId(), next.id(), now);
    }
}
