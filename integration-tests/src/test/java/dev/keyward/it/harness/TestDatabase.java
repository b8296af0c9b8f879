package dev.keyward.it.harness;

import java.util.List;
import java.util.Map;

/** The database one Keycloak run uses: chosen with {@code keyward.it.db} = {@code postgres} (default) or {@code dev-file}. */
public interface TestDatabase extends AutoCloseable {

    /** Options for {@code kc.sh start-dev}. */
    List<String> keycloakArgs();

    /** Environment for kc.sh: secrets go here, not on the command line, where ps would show them. */
    default Map<String, String> keycloakEnv() {
        return Map.of();
    }

    String describe();

    /**
     * A JDBC connection to the database Keycloak uses, for tests that inspect stored rows.
     *
     * @param keycloakHome the distribution directory (dev-file keeps its H2 files there)
     */
    java.sql.Connection connect(java.nio.file.Path keycloakHome) throws java.sql.SQLException;

    /** Called after Keycloak has stopped. */
    @Override
    void close();

    String H2_USER = "keyward";
    String H2_PASSWORD = "keyward-it";

    static TestDatabase fromConfig() {
        String kind = ItConfig.get("keyward.it.db", "postgres");
        switch (kind) {
            case "postgres":
                return PostgresDatabase.create();
            case "dev-file":
                // H2 files live in the per-run copy of the distribution, which the next run deletes
                return new TestDatabase() {
                    @Override
                    public List<String> keycloakArgs() {
                        // AUTO_SERVER: the test JVM may open the file while Keycloak has it open. H2 refuses
                        // it with the DB_CLOSE_ON_EXIT=FALSE Keycloak adds unless told otherwise; TRUE is
                        // H2's default. Credentials chosen here, so the test knows them (a throwaway database).
                        return List.of(
                                "--db=dev-file",
                                "--db-url-properties=;AUTO_SERVER=TRUE;DB_CLOSE_ON_EXIT=TRUE",
                                "--db-username=" + H2_USER,
                                "--db-password=" + H2_PASSWORD);
                    }

                    @Override
                    public java.sql.Connection connect(java.nio.file.Path keycloakHome) throws java.sql.SQLException {
                        // Keycloak's dev-file database lives in data/h2/keycloakdb
                        return java.sql.DriverManager.getConnection(
                                "jdbc:h2:file:" + keycloakHome.resolve("data/h2/keycloakdb")
                                        + ";AUTO_SERVER=TRUE;NON_KEYWORDS=VALUE",
                                H2_USER,
                                H2_PASSWORD);
                    }

                    @Override
                    public String describe() {
                        return "dev H2 (file)";
                    }

                    @Override
                    public void close() {}
                };
            default:
                throw new IllegalArgumentException("keyward.it.db must be postgres or dev-file, not " + kind);
        }
    }
}
