package dev.keyward.opaque;

/**
 * What the server keeps between KE2 and KE3: the expected client MAC and the session key.
 * Both are secret. It can be serialized (e.g. into a clustered session store); whatever holds
 * the bytes must keep them confidential and use them at most once.
 */
public final class ServerLoginState {
    private final OpaqueSuite suite;
    private final byte[] expectedClientMac;
    private final byte[] sessionKey;

    ServerLoginState(OpaqueSuite suite, byte[] expectedClientMac, byte[] sessionKey) {
        this.suite = suite;
        this.expectedClientMac = expectedClientMac;
        this.sessionKey = sessionKey;
    }

    /**
     * Restores a state from {@link #toBytes()}.
     *
     * @param suite the suite
     * @param bytes exactly 2 * Nh bytes
     * @return the state
     * @throws InvalidMessageException on a wrong length
     */
    public static ServerLoginState fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r =
                MessageReader.of(suite, bytes, suite == null ? 0 : 2 * suite.hashLength(), "server login state");
        return new ServerLoginState(suite, r.bytes(suite.hashLength()), r.bytes(suite.hashLength()));
    }

    /** @return expected client MAC || session key; secret */
    public byte[] toBytes() {
        return Bytes.concat(expectedClientMac, sessionKey);
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    /**
     * A copy of the session key this login will share with the client if its KE3 verifies. The
     * server knows it from KE2 on; a caller can use it to bind what the client sends after KE3 (a
     * message only the party that finished this login can authenticate) and must treat it as
     * secret: wipe the copy after use. Nothing may rely on it before {@link
     * OpaqueServer#finishLogin} has accepted KE3.
     *
     * @return a fresh copy of the session key (Nh bytes)
     */
    public byte[] copySessionKey() {
        return OpaqueSuite.copy(sessionKey);
    }

    byte[] expectedClientMac() {
        return expectedClientMac;
    }

    byte[] sessionKey() {
        return sessionKey;
    }

    /** Overwrites the secrets; call once the login finished or was abandoned. */
    public void destroy() {
        Bytes.wipe(expectedClientMac, sessionKey);
    }
}
