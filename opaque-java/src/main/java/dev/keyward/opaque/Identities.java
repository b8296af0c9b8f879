package dev.keyward.opaque;

/**
 * Optional client and server identities of RFC 9807 section 4.1.2. A null identity means "the
 * public key stands in for it", the default of opaque-ke and @serenity-kit/opaque. Both sides
 * must use the same identities at registration and at every login.
 *
 * @param client the client identity (e.g. a user id), or null
 * @param server the server identity (e.g. a realm's issuer), or null
 */
public record Identities(byte[] client, byte[] server) {
    /** No explicit identities: both public keys stand in. */
    public static final Identities NONE = new Identities(null, null);

    /**
     * Validates lengths and copies.
     *
     * @param client the client identity, 1 to 65535 bytes, or null
     * @param server the server identity, 1 to 65535 bytes, or null
     */
    public Identities {
        if ((client != null && (client.length == 0 || client.length > 0xFFFF))
                || (server != null && (server.length == 0 || server.length > 0xFFFF))) {
            throw new IllegalArgumentException("an identity must be 1 to 65535 bytes");
        }
        client = client == null ? null : OpaqueSuite.copy(client);
        server = server == null ? null : OpaqueSuite.copy(server);
    }

    /** @return a copy of the client identity, or null */
    @Override
    public byte[] client() {
        return client == null ? null : OpaqueSuite.copy(client);
    }

    /** @return a copy of the server identity, or null */
    @Override
    public byte[] server() {
        return server == null ? null : OpaqueSuite.copy(server);
    }

    /** RFC 9807 CleartextCredentials with the defaults applied. */
    CleartextCredentials resolve(byte[] serverPublicKey, byte[] clientPublicKey) {
        return new CleartextCredentials(
                serverPublicKey, server == null ? serverPublicKey : server, client == null ? clientPublicKey : client);
    }

    record CleartextCredentials(byte[] serverPublicKey, byte[] serverIdentity, byte[] clientIdentity) {
        byte[] serialize() {
            return Bytes.concat(
                    serverPublicKey, Bytes.lengthPrefixed16(serverIdentity), Bytes.lengthPrefixed16(clientIdentity));
        }
    }
}
