package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import java.util.Set;
import org.keycloak.models.RealmModel;

/** Per-session view of {@link DefaultOpaqueKeysProviderFactory}; holds no state of its own. */
final class DefaultOpaqueKeysProvider implements OpaqueKeysProvider {
    private final DefaultOpaqueKeysProviderFactory factory;

    DefaultOpaqueKeysProvider(DefaultOpaqueKeysProviderFactory factory) {
        this.factory = factory;
    }

    @Override
    public OpaqueSuite suite() {
        return factory.suite();
    }

    @Override
    public Argon2idKsf ksf() {
        return factory.ksf();
    }

    @Override
    public OpaqueServer server(RealmModel realm) {
        return factory.realmServer(realm).server();
    }

    @Override
    public String activeKeyId() {
        return factory.keyring().activeId();
    }

    @Override
    public Set<String> keyIds() {
        return factory.keyring().ids();
    }

    @Override
    public OpaqueServer server(RealmModel realm, String keyId) {
        DefaultOpaqueKeysProviderFactory.RealmServer server = factory.realmServer(realm, keyId);
        return server == null ? null : server.server();
    }

    @Override
    public byte[] unknownUserIdentifier(RealmModel realm, String username) {
        return SetupDerivation.unknownUserIdentifier(
                factory.realmServer(realm).keys().unknownUserKey(), username);
    }

    @Override
    public byte[] withheldUserIdentifier(RealmModel realm, String userId) {
        return SetupDerivation.withheldUserIdentifier(
                factory.realmServer(realm).keys().unknownUserKey(), userId);
    }

    @Override
    public boolean unknownUserLegacyCoin(RealmModel realm, String username) {
        return SetupDerivation.legacyCoin(factory.realmServer(realm).keys().legacyCoinKey(), username);
    }
}
