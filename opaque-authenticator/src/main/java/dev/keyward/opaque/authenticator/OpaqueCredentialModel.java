package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.util.JsonSerialization;

/**
 * A user's OPAQUE password: type {@code keyward-opaque}.
 * <ul>
 *   <li>secret data: {@code {"record":"<base64url RFC 9807 registration record>"}}. It is secret
 *       in Keycloak's sense (not shown in admin representations) although, unlike a password
 *       hash, it only helps an attacker who also holds the setup secret.</li>
 *   <li>credential data: {@code {"suite":"ristretto255-SHA512","credentialIdentifier":"<user id>",
 *       "ksf":{"algorithm":"argon2id","t":3,"m":65536,"p":4},"keyId":"2"}}: the parameters the
 *       record was made with, so a later change of the server's suite or KSF can find the users
 *       that still need to re-register, and the id of the setup secret it was registered under
 *       (absent in records from before key ids: {@code 1}).</li>
 * </ul>
 */
public class OpaqueCredentialModel extends CredentialModel {
    /** The credential type. */
    public static final String TYPE = OpaqueConstants.CREDENTIAL_TYPE;

    private final CredentialData credentialData;
    private final SecretData secretData;

    private OpaqueCredentialModel(CredentialData credentialData, SecretData secretData) {
        this.credentialData = credentialData;
        this.secretData = secretData;
    }

    /**
     * A new credential for a freshly uploaded record.
     *
     * @param suite the suite the record belongs to
     * @param credentialIdentifier the RFC 9807 credential identifier (the user id)
     * @param ksf the KSF the browser was told to use
     * @param record the record bytes
     * @param keyId the id of the setup secret whose server answered the registration
     * @return the model, ready for {@code createStoredCredential}
     */
    public static OpaqueCredentialModel create(
            OpaqueSuite suite, String credentialIdentifier, Argon2idKsf ksf, byte[] record, String keyId) {
        CredentialData data = new CredentialData();
        data.setSuite(suite.identifier());
        data.setKeyId(keyId);
        data.setCredentialIdentifier(credentialIdentifier);
        KsfData k = new KsfData();
        k.setAlgorithm("argon2id");
        k.setT(ksf.iterations());
        k.setM(ksf.memoryKiB());
        k.setP(ksf.parallelism());
        data.setKsf(k);
        SecretData secret = new SecretData();
        secret.setRecord(Wire.encode(record));
        OpaqueCredentialModel model = new OpaqueCredentialModel(data, secret);
        model.setType(TYPE);
        model.setCreatedDate(Time.currentTimeMillis());
        model.fillSerialized();
        return model;
    }

    /**
     * Reads a stored credential.
     *
     * @param model a stored credential of type {@link #TYPE}
     * @return the typed model
     * @throws IllegalArgumentException if its JSON is unreadable (a corrupt row)
     */
    public static OpaqueCredentialModel createFromCredentialModel(CredentialModel model) {
        try {
            CredentialData data = JsonSerialization.readValue(model.getCredentialData(), CredentialData.class);
            SecretData secret = JsonSerialization.readValue(model.getSecretData(), SecretData.class);
            OpaqueCredentialModel result = new OpaqueCredentialModel(data, secret);
            result.setId(model.getId());
            result.setType(model.getType());
            result.setUserLabel(model.getUserLabel());
            result.setCreatedDate(model.getCreatedDate());
            result.setCredentialData(model.getCredentialData());
            result.setSecretData(model.getSecretData());
            result.setFederationLink(model.getFederationLink());
            return result;
        } catch (IOException | RuntimeException e) {
            // no chaining: Jackson's message would quote the JSON, which includes the record
            throw new IllegalArgumentException("unreadable " + TYPE + " credential " + model.getId());
        }
    }

    private void fillSerialized() {
        try {
            setCredentialData(JsonSerialization.writeValueAsString(credentialData));
            setSecretData(JsonSerialization.writeValueAsString(secretData));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the stored parameters */
    public CredentialData getOpaqueCredentialData() {
        return credentialData;
    }

    /** @return the id of the setup secret the record was registered under; {@code 1} when it names none */
    public String keyId() {
        String id = credentialData.getKeyId();
        return id == null || id.isEmpty() ? SetupKeyring.FIRST_ID : id;
    }

    /**
     * The record, if it was made for {@code suite}.
     *
     * @param suite the suite the server runs now
     * @return the parsed record, or null when it belongs to another suite
     * @throws InvalidMessageException when the stored bytes do not parse (a corrupt row)
     */
    public RegistrationRecord record(OpaqueSuite suite) throws InvalidMessageException {
        if (!suite.identifier().equals(credentialData.getSuite())) {
            return null;
        }
        return RegistrationRecord.fromBytes(
                suite, Wire.decode(secretData.getRecord(), suite.registrationRecordLength()));
    }

    /** Credential data JSON. */
    public static class CredentialData {
        private String suite;
        private String credentialIdentifier;
        private KsfData ksf;
        private String keyId;

        /** @return the setup-secret id the record was registered under, or null (id {@code 1}) */
        public String getKeyId() {
            return keyId;
        }

        /** @param keyId the setup-secret id */
        public void setKeyId(String keyId) {
            this.keyId = keyId;
        }

        /** @return the suite identifier */
        public String getSuite() {
            return suite;
        }

        /** @param suite the suite identifier */
        public void setSuite(String suite) {
            this.suite = suite;
        }

        /** @return the credential identifier (user id) */
        public String getCredentialIdentifier() {
            return credentialIdentifier;
        }

        /** @param credentialIdentifier the credential identifier */
        public void setCredentialIdentifier(String credentialIdentifier) {
            this.credentialIdentifier = credentialIdentifier;
        }

        /** @return the KSF parameters */
        public KsfData getKsf() {
            return ksf;
        }

        /** @param ksf the KSF parameters */
        public void setKsf(KsfData ksf) {
            this.ksf = ksf;
        }
    }

    /** KSF parameters JSON. */
    public static class KsfData {
        private String algorithm;
        private int t;
        private int m;
        private int p;

        /** @return "argon2id" */
        public String getAlgorithm() {
            return algorithm;
        }

        /** @param algorithm the algorithm */
        public void setAlgorithm(String algorithm) {
            this.algorithm = algorithm;
        }

        /** @return iterations */
        public int getT() {
            return t;
        }

        /** @param t iterations */
        public void setT(int t) {
            this.t = t;
        }

        /** @return memory in KiB */
        public int getM() {
            return m;
        }

        /** @param m memory in KiB */
        public void setM(int m) {
            this.m = m;
        }

        /** @return lanes */
        public int getP() {
            return p;
        }

        /** @param p lanes */
        public void setP(int p) {
            this.p = p;
        }
    }

    /** Secret data JSON. */
    public static class SecretData {
        private String record;

        /** @return the record, base64url */
        public String getRecord() {
            return record;
        }

        /** @param record the record, base64url */
        public void setRecord(String record) {
            this.record = record;
        }
    }
}
