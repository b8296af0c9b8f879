package dev.keyward.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a user's credential may be sent: its provider's upstream origin and how the credential is
 * placed in the request (credential kind and name), as they were when the user stored it. Kept as
 * a SHA-256 digest over a length-prefixed encoding of the three, in the row's
 * {@code UPSTREAM_BINDING} column and inside the AES-GCM associated data ({@link SecretBinding}).
 *
 * <p>Why both. The column is checked (in constant time) against the definition in force before a
 * credential is decrypted: a changed definition gives a clear "store it again" (not a tag failure
 * that looks like tampering), the admin API can count the rows a change would strand with one
 * query, listings say which rows are unusable without decrypting anything, and key rotation carries
 * the binding along untouched. Binding the same digest into the associated data means the column is
 * not merely trusted: whoever can write the database but holds no vault key cannot re-aim a stored
 * credential by editing a definition and the column together, because the row then no longer
 * decrypts.
 *
 * <p>What is in it: the origin, not the path (one origin is one party on the web and in TLS; path
 * prefixes, methods, headers and limits can change without stranding anyone); the kind; the name
 * for {@code api-key-header} (case-insensitive, as header names are) and {@code cookie}
 * (case-sensitive, as cookie names are). A provider without a {@code proxy} part has the empty
 * origin, so giving it an upstream later is a change like any other.
 */
public final class UpstreamBinding {
    /** {@code UPSTREAM_BINDING} of a user row stored before bindings existed, until the first start binds it. */
    static final String LEGACY = "legacy";

    private static final Pattern COLUMN = Pattern.compile("[0-9a-f]{64}");
    private static final byte[] DOMAIN = "keyward-upstream-binding".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final byte[] digest;

    private UpstreamBinding(byte[] digest) {
        this.digest = digest;
    }

    /** @return the binding of a credential stored under this definition */
    public static UpstreamBinding of(ProviderDefinition definition) {
        return of(definition.upstreamOrigin().orElse(""), definition.credentialKind(), definition.credentialName());
    }

    /**
     * @param origin {@link UpstreamOrigin#of} of the base URL, or empty for none
     * @param kind the credential kind
     * @param name the header or cookie name; ignored for kinds that have none
     */
    static UpstreamBinding of(String origin, CredentialKind kind, String name) {
        String placedAs = switch (kind) {
            case API_KEY_HEADER -> name == null ? "" : name.toLowerCase(Locale.ROOT);
            case COOKIE -> name == null ? "" : name;
            case BEARER, BASIC -> "";
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(DOMAIN);
        out.write(0);
        out.write(VERSION);
        for (String field : new String[] {origin, kind.json(), placedAs}) {
            byte[] b = field.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        try {
            return new UpstreamBinding(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            // SHA-256 is mandatory in every JRE
            throw new IllegalStateException("SHA-256 unavailable");
        }
    }

    /**
     * @param value an {@code UPSTREAM_BINDING} column value
     * @return the binding it holds, or null for none (NULL, or a legacy row not bound yet)
     */
    static UpstreamBinding fromColumn(String value) {
        return value != null && COLUMN.matcher(value).matches()
                ? new UpstreamBinding(HexFormat.of().parseHex(value))
                : null;
    }

    /** @return the value for the {@code UPSTREAM_BINDING} column: 64 lower-case hex digits */
    String column() {
        return HexFormat.of().formatHex(digest);
    }

    /** @return the digest, for the associated data */
    byte[] bytes() {
        return digest.clone();
    }

    /** @return whether both name the same origin, kind and name; constant time */
    public boolean matches(UpstreamBinding other) {
        return other != null && MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public String toString() {
        return "upstream binding " + column().substring(0, 12);
    }
}
